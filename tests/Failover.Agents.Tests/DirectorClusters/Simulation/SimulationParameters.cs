namespace Failover.Agents.Tests.DirectorClusters.Simulation;

/// <summary>One seed's world: timing, network quality, how often faults strike, and whether a user issues commands.</summary>
internal sealed record SimulationParameters(
    int Seed,
    TimeSpan Period,
    TimeSpan Timeout,
    bool RequireConfirmation,
    bool UserCommands,
    double Loss,
    TimeSpan MaxDelay,
    double SpikeChance,
    TimeSpan FaultPhase,
    TimeSpan MeanFaultGap,
    TimeSpan Tail,
    double WriteFailure)
{
    public static SimulationParameters Draw(int seed, Random random)
    {
        var period = Ms(random.Next(50, 301));
        var timeout = period * random.Next(2, 7);
        return new SimulationParameters(
            seed,
            period,
            timeout,
            RequireConfirmation: random.Next(5) == 0,
            UserCommands: random.Next(4) != 0,
            Loss: random.Next(4) == 0 ? 0 : random.NextDouble() * 0.3,
            MaxDelay: Ms(random.Next(0, (int)period.TotalMilliseconds + 1)),
            SpikeChance: random.Next(3) == 0 ? 0 : random.NextDouble() * 0.05,
            FaultPhase: period * random.Next(20, 41),
            MeanFaultGap: period * random.Next(2, 9),
            Tail: timeout * 8,
            WriteFailure: random.Next(3) == 0 ? 0 : random.NextDouble() * 0.2);
    }

    public static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    public override string ToString() =>
        $"seed {Seed}: period {Period.TotalMilliseconds} ms, timeout {Timeout.TotalMilliseconds} ms, confirmation {RequireConfirmation}, "
        + $"user {UserCommands}, loss {Loss:0.00}, max delay {MaxDelay.TotalMilliseconds} ms, spikes {SpikeChance:0.000}, "
        + $"faults for {FaultPhase.TotalMilliseconds} ms every ~{MeanFaultGap.TotalMilliseconds} ms, tail {Tail.TotalMilliseconds} ms, "
        + $"witness writes failing {WriteFailure:0.00}";
}
