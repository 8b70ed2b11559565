using System.Text.Json;
using Failover.Runtime.Activation;
using Failover.Runtime.Configuration;
using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Failover.Runtime.Messaging;
using Failover.Runtime.Placement;
using Failover.Runtime.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Invocation;

/// <summary>
/// Sends every grain call to the one activation of its grain: here when this silo has it (or may claim it), else to
/// the owner the directory names. A call that finds the grain gone from its owner ("not here") is re-routed once.
/// Incoming requests from other silos run here only if this silo owns (or can claim) the grain; requests from
/// clients are routed like local calls.
/// </summary>
internal sealed partial class GrainCallRouter : IGrainCallInvoker, IMessageHandler
{
    private readonly Catalog _catalog;
    private readonly IGrainDirectoryTable _directory;
    private readonly DirectoryCache _cache;
    private readonly MembershipView _view;
    private readonly LocalSilo _silo;
    private readonly GrainTypeRegistry _types;
    private readonly GrainMethodRegistry _methods;
    private readonly CallSerializer _serializer;
    private readonly Lazy<SiloTransport> _transport;
    private readonly Lazy<ReminderService> _reminders;
    private readonly Lazy<SystemRequestHandlers> _systemHandlers;
    private readonly GrainOptions _options;
    private readonly IGrainPlacement[] _placements;
    private readonly ILogger<GrainCallRouter> _logger;

    public GrainCallRouter(
        Catalog catalog,
        IGrainDirectoryTable directory,
        DirectoryCache cache,
        MembershipView view,
        LocalSilo silo,
        GrainTypeRegistry types,
        GrainMethodRegistry methods,
        IServiceProvider services,
        IOptions<GrainOptions> options,
        ILogger<GrainCallRouter> logger)
    {
        _catalog = catalog;
        _directory = directory;
        _cache = cache;
        _view = view;
        _silo = silo;
        _types = types;
        _methods = methods;
        _options = options.Value;
        _serializer = new CallSerializer(_options.StateSerializerOptions);
        _transport = new Lazy<SiloTransport>(services.GetRequiredService<SiloTransport>);
        _reminders = new Lazy<ReminderService>(services.GetRequiredService<ReminderService>);
        _systemHandlers = new Lazy<SystemRequestHandlers>(services.GetRequiredService<SystemRequestHandlers>);
        _placements = [.. services.GetServices<IGrainPlacement>()];
        _logger = logger;
    }

    public async Task InvokeAsync(GrainId target, VoidGrainMethod method, object?[] arguments)
    {
        for (var rerouted = false; ; rerouted = true)
        {
            var owner = await ResolveAsync(target);
            try
            {
                if (owner is null)
                {
                    await _catalog.InvokeAsync(target, method, arguments);
                }
                else
                {
                    await SendAsync(owner, target, method, arguments, rerouted);
                }

                return;
            }
            catch (Exception exception) when (!rerouted && ShouldReroute(target, exception))
            {
            }
        }
    }

    public async Task<T> InvokeAsync<T>(GrainId target, TypedGrainMethod<T> method, object?[] arguments)
    {
        for (var rerouted = false; ; rerouted = true)
        {
            var owner = await ResolveAsync(target);
            try
            {
                return owner is null
                    ? await _catalog.InvokeAsync(target, method, arguments)
                    : _serializer.DeserializeResult<T>((await SendAsync(owner, target, method, arguments, rerouted)).Body);
            }
            catch (Exception exception) when (!rerouted && ShouldReroute(target, exception))
            {
            }
        }
    }

    public async ValueTask<Message> HandleRequestAsync(Message request, RemotePeer from, CancellationToken cancellationToken)
    {
        if (request.Method == ReminderRefreshNotice.Method && from.Role == HandshakeRole.Silo)
        {
            _reminders.Value.RefreshSoon();
            return Ok(null);
        }

        if (_systemHandlers.Value.TryGet(request.Method, out var systemHandler))
        {
            return await HandleSystemRequestAsync(systemHandler, request, from, cancellationToken);
        }

        if (request.Method is null || _methods.Find(request.Method) is not { } method)
        {
            return Rejected($"unknown method '{request.Method}'");
        }

        GrainId target;
        object?[] arguments;
        try
        {
            target = ResolveTarget(request.Target);
            arguments = _serializer.DeserializeArguments(method, request.Body);
        }
        catch (Exception exception) when (exception is FormatException or JsonException or NotSupportedException or GrainActivationException)
        {
            return Rejected(exception.Message);
        }

        try
        {
            if (from.Role == HandshakeRole.Client)
            {
                return Ok(await method.InvokeForRemoteAsync(this, target, arguments, _serializer));
            }

            // From a silo: run it here only if the grain is (or may become) ours.
            if (!_catalog.HasActivation(target)
                && await _directory.LookupAsync(target, cancellationToken) is { Owner: { } owner }
                && owner != _silo.Address && !_view.IsDead(owner))
            {
                return NotOwner(target, owner);
            }

            return Ok(await method.InvokeForRemoteAsync(_catalog, target, arguments, _serializer));
        }
        catch (GrainOwnedElsewhereException exception)
        {
            return NotOwner(target, exception.Owner);
        }
        catch (SiloUnavailableException exception)
        {
            return new Message { Kind = MessageKind.Response, Status = ResponseStatus.SiloUnavailable, ExceptionMessage = exception.Message };
        }
        catch (OperationCanceledException) when (_catalog.ShutdownToken.IsCancellationRequested)
        {
            // The call was cut short because this silo is stopping: for the caller that is an unavailable silo.
            return new Message { Kind = MessageKind.Response, Status = ResponseStatus.SiloUnavailable, ExceptionMessage = $"silo {_silo.Address} is stopping" };
        }
        catch (Exception exception)
        {
            return new Message
            {
                Kind = MessageKind.Response,
                Status = ResponseStatus.Exception,
                ExceptionType = RemoteExceptions.TypeName(exception),
                ExceptionMessage = exception.Message,
            };
        }
    }

    /// <summary>Null when the call runs here (an activation exists, or this silo will claim the grain).</summary>
    private async ValueTask<SiloAddress?> ResolveAsync(GrainId target)
    {
        if (_catalog.HasActivation(target))
        {
            return null;
        }

        if (_cache.TryGet(target, out var cached) && !_view.IsDead(cached))
        {
            return cached == _silo.Address ? null : cached;
        }

        var entry = await _directory.LookupAsync(target, _catalog.ShutdownToken);
        if (entry?.Owner is { } owner && owner != _silo.Address && !_view.IsDead(owner))
        {
            _cache.Set(target, owner);
            return owner;
        }

        return Place(target);
    }

    /// <summary>Where a grain without a live owner is activated: here, unless a placement covering it says otherwise.</summary>
    private SiloAddress? Place(GrainId target)
    {
        foreach (var placement in _placements)
        {
            if (!placement.Covers(target))
            {
                continue;
            }

            var active = _view.Current.Entries.Where(e => e.Status == SiloStatus.Active).ToList();
            var chosen = active.Count == 0 ? null : placement.Choose(target, active, _silo.Address);
            return chosen is null || chosen == _silo.Address ? null : chosen;
        }

        return null;
    }

    private async Task<Message> SendAsync(SiloAddress owner, GrainId target, GrainMethod method, object?[] arguments, bool rerouted)
    {
        var request = new Message
        {
            Kind = MessageKind.Request,
            Target = target.ToString(),
            Method = method.Key,
            Forwarded = rerouted,
            Body = _serializer.SerializeArguments(method, arguments),
        };
        Message response;
        try
        {
            response = await _transport.Value.SendRequestAsync(owner, request, _options.ResponseTimeout, _catalog.ShutdownToken);
        }
        catch (SiloUnavailableException)
        {
            _cache.Invalidate(target);
            throw;
        }

        return response.Status switch
        {
            ResponseStatus.Ok => response,
            ResponseStatus.Exception => throw RemoteExceptions.Rebuild(response.ExceptionType, response.ExceptionMessage),
            ResponseStatus.NotOwner => throw new NotOwnerException(
                $"Silo {owner} no longer has grain {target}.",
                response.Redirect is { } redirect && SiloAddress.TryParse(redirect, out var newOwner) ? newOwner : null),
            ResponseStatus.SiloUnavailable => throw Unavailable(target, owner, response.ExceptionMessage),
            _ => throw new GrainCallException($"Silo {owner} rejected the call to {target}: {response.ExceptionMessage}"),
        };
    }

    private SiloUnavailableException Unavailable(GrainId target, SiloAddress owner, string? reason)
    {
        _cache.Invalidate(target);
        return new SiloUnavailableException($"Silo {owner} cannot take the call to {target}: {reason}");
    }

    private bool ShouldReroute(GrainId target, Exception exception)
    {
        switch (exception)
        {
            case GrainOwnedElsewhereException { Owner: { } owner }:
                _cache.Set(target, owner);
                LogRerouted(target, owner);
                return true;
            case NotOwnerException notOwner:
                if (notOwner.Owner is { } redirect)
                {
                    _cache.Set(target, redirect);
                }
                else
                {
                    _cache.Invalidate(target);
                }

                LogRerouted(target, notOwner.Owner);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Clients address grains by interface (<c>@Namespace.IFoo/key</c>): they do not know grain classes.</summary>
    private GrainId ResolveTarget(string? target)
    {
        var grainId = GrainId.Parse(target ?? "");
        return grainId.Type.StartsWith('@')
            ? new GrainId(_types.ForInterfaceName(grainId.Type[1..]).TypeName, grainId.Key)
            : grainId;
    }

    private static async ValueTask<Message> HandleSystemRequestAsync(
        ISystemRequestHandler handler, Message request, RemotePeer from, CancellationToken cancellationToken)
    {
        try
        {
            return Ok(await handler.HandleAsync(request.Body, from, cancellationToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new Message
            {
                Kind = MessageKind.Response,
                Status = ResponseStatus.Exception,
                ExceptionType = RemoteExceptions.TypeName(exception),
                ExceptionMessage = exception.Message,
            };
        }
    }

    private static Message Ok(JsonElement? body) => new() { Kind = MessageKind.Response, Status = ResponseStatus.Ok, Body = body };

    private static Message Rejected(string reason) =>
        new() { Kind = MessageKind.Response, Status = ResponseStatus.Rejected, ExceptionMessage = reason };

    private static Message NotOwner(GrainId target, SiloAddress? owner) => new()
    {
        Kind = MessageKind.Response,
        Status = ResponseStatus.NotOwner,
        Redirect = owner?.ToString(),
        ExceptionMessage = $"grain {target} is not here",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call to {GrainId} re-routed to {Owner}")]
    private partial void LogRerouted(GrainId grainId, SiloAddress? owner);
}
