using System.Reflection;
using Failover.Runtime.Activation;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Directory;
using Failover.Runtime.Events;
using Failover.Runtime.Invocation;
using Failover.Runtime.Messaging;
using Failover.Runtime.Membership;
using Failover.Runtime.Membership.Protocol;
using Failover.Runtime.Records;
using Failover.Runtime.Reminders;
using Failover.Runtime.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Hosting;

public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime of one silo. <paramref name="configuration"/> is the configuration root: silo keys at
    /// the top (Node, Port, Database, …) and the sections Membership, Grains and Reminders. Options are validated
    /// when the host starts; unknown keys in those sections are errors.
    /// </summary>
    public static IServiceCollection AddFailoverSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        AddValidatedOptions<SiloOptions>(services, configuration, errorOnUnknown: false);
        AddValidatedOptions<MembershipOptions>(services, configuration.GetSection(MembershipOptions.SectionName), errorOnUnknown: true);
        AddValidatedOptions<GrainOptions>(services, configuration.GetSection(GrainOptions.SectionName), errorOnUnknown: true);
        AddValidatedOptions<ReminderOptions>(services, configuration.GetSection(ReminderOptions.SectionName), errorOnUnknown: true);
        AddValidatedOptions<MessagingOptions>(services, configuration.GetSection(MessagingOptions.SectionName), errorOnUnknown: true);

        services.TryAddSingleton(sp => ClusterDatabase.Open(
            DatabaseLocation.Parse(sp.GetRequiredService<IOptions<SiloOptions>>().Value.Database),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<LocalSilo>();
        services.TryAddSingleton(sp => Database(sp).CreateMembershipTable(Silo(sp).ClusterId));
        services.TryAddSingleton(sp => Database(sp).CreateGrainDirectory(Silo(sp).ClusterId));
        services.TryAddSingleton(sp => Database(sp).CreateReminderTable(Silo(sp).ServiceId));
        services.TryAddSingleton(sp => Database(sp).CreateGrainStateStore(Silo(sp).ServiceId, Silo(sp).ClusterId));
        services.TryAddSingleton(sp => Database(sp).CreateEventLog(Silo(sp).ServiceId));
        services.TryAddSingleton(sp => Database(sp).CreateRecordStore(Silo(sp).ServiceId));

        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<Catalog>();
        services.TryAddSingleton<DirectoryCache>();
        services.TryAddSingleton<GrainMethodRegistry>();
        services.TryAddSingleton<GrainCallRouter>();
        services.TryAddSingleton<IGrainCallInvoker>(sp => sp.GetRequiredService<GrainCallRouter>());
        services.TryAddSingleton<IMessageHandler>(sp => sp.GetRequiredService<GrainCallRouter>());
        services.TryAddSingleton<SiloTransport>();
        services.TryAddSingleton<SystemRequestHandlers>();
        services.TryAddSingleton<IProbeSender>(sp => sp.GetRequiredService<SiloTransport>());
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.TryAddSingleton<ReminderService>();
        services.TryAddSingleton<ActivationCollector>();
        services.TryAddSingleton<MembershipAgent>();
        services.TryAddSingleton<MembershipView>();
        services.TryAddSingleton<LeaseGate>();
        services.TryAddSingleton<ISiloFatalHandler, StopHostOnFatal>();
        services.TryAddSingleton<MembershipProtocolLoop>();
        services.TryAddSingleton<FaultInjection>();
        services.TryAddSingleton<DefunctRowCleaner>();
        services.TryAddSingleton(sp => new SiloHealth(
            sp.GetRequiredService<LocalSilo>(), sp.GetRequiredService<MembershipAgent>(), sp.GetRequiredService<Catalog>(),
            sp.GetRequiredService<LeaseGate>()));
        services.AddHostedService<SiloLifecycleService>();
        return services;
    }

    public static IServiceCollection AddGrain<TGrain>(this IServiceCollection services)
        where TGrain : Grain
    {
        services.AddSingleton(new GrainRegistration(typeof(TGrain)));
        return services;
    }

    /// <summary>Registers every concrete class deriving from <see cref="Grain"/> in the assembly.</summary>
    public static IServiceCollection AddGrainsFromAssembly(this IServiceCollection services, Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)))
        {
            services.AddSingleton(new GrainRegistration(type));
        }

        return services;
    }

    private static IClusterDatabase Database(IServiceProvider services) => services.GetRequiredService<IClusterDatabase>();

    private static LocalSilo Silo(IServiceProvider services) => services.GetRequiredService<LocalSilo>();

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, IConfiguration section, bool errorOnUnknown)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .Bind(section, binder => binder.ErrorOnUnknownConfiguration = errorOnUnknown)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
