using Orleans.Runtime;
using Microsoft.Data.Sqlite;
using Failover.Testing;

namespace Failover.Host.Tests;

/// <summary>Every bad input gets one line on stderr starting with "error:", a non-zero exit, and changes nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(2, "unknown option '--nod'", "--nod", "x")]
    [InlineData(2, "--port must be an integer from 1 to 65535 (got 'abc')", "--node", "a", "--port", "abc")]
    [InlineData(2, "--port must be an integer from 1 to 65535 (got '0')", "--node", "a", "--port", "0")]
    [InlineData(2, "--port must be an integer from 1 to 65535 (got '65536')", "--node", "a", "--port", "65536")]
    [InlineData(2, "option --node needs a value", "--node")]
    [InlineData(2, "unknown command 'start'", "start")]
    [InlineData(2, "unexpected argument 'extra'", "--node", "a", "extra")]
    [InlineData(2, "--database must be sqlite:PATH or postgres:CONNECTION_STRING", "--node", "a", "--database", "mysql:x")]
    [InlineData(2, "--node is required: the name of this node", "--port", "4000")]
    [InlineData(2, "silo stop needs --node NAME", "stop")]
    [InlineData(2, "option --fail-over belongs to 'silo stop'", "--node", "a", "--fail-over")]
    public async Task Bad_command_lines_are_refused_with_one_line(int exitCode, string message, params string[] args)
    {
        string[] withDatabase = args.Contains("--database") ? args : [.. args, "--database", _directory.SqliteDatabase];
        var result = await Programs.RunSiloToExitAsync(withDatabase);

        AssertOneErrorLine(result, exitCode, message);
        Assert.False(File.Exists(_directory.DatabaseFile), "a refused command line must not create the database");
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--gateway-port")]
    [InlineData("--http-port")]
    public async Task A_port_in_use_is_refused_and_no_membership_row_is_written(string option)
    {
        var ports = SiloPorts.Next();
        var busy = option switch { "--port" => ports.Silo, "--gateway-port" => ports.Gateway, _ => ports.Http };
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, busy);
        occupant.Start();

        var result = await Programs.RunSiloToExitAsync(
            "--node", "a", "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--http-port", $"{ports.Http}", "--database", _directory.SqliteDatabase);

        AssertOneErrorLine(result, 1, $"port {busy} ({option}) is already in use");
        Assert.True(result.Output.Trim().Length == 0, $"nothing but the error line is printed, got:\n{result.Output}");
        Assert.Empty(await MembershipReader.ReadAsync(_directory.SqliteDatabase));
    }

    [Fact]
    public async Task An_unreachable_database_is_refused()
    {
        var closedPort = TestDirectory.FreePort();
        var result = await Programs.RunSiloToExitAsync(["--node", "a", .. FreePortArguments(),
            "--database", $"postgres:Host=127.0.0.1;Port={closedPort};Username=x;Password=secret;Timeout=3"]);

        AssertOneErrorLine(result, 1, "cannot reach database postgres:");
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_refused()
    {
        var result = await Programs.RunSiloToExitAsync(["--node", "a", .. FreePortArguments(),
            "--database", "postgres:Hostt=localhost;Database=x"]);

        AssertOneErrorLine(result, 2, "not a valid Npgsql connection string");
    }

    [Fact]
    public async Task A_schema_newer_than_the_binary_is_refused_and_left_alone()
    {
        Assert.Equal(0, (await Programs.RunSiloToExitAsync("init-db", "--database", _directory.SqliteDatabase)).ExitCode);
        await using (var connection = new SqliteConnection($"Data Source={_directory.DatabaseFile};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO FailoverSchemaVersion (Version, Name) VALUES (999, '999-from-the-future.sql')";
            await insert.ExecuteNonQueryAsync();
        }

        var result = await Programs.RunSiloToExitAsync(["--node", "a", .. FreePortArguments(), "--database", _directory.SqliteDatabase]);

        AssertOneErrorLine(result, 1, "999");
        Assert.Contains("newer", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await MembershipReader.ReadAsync(_directory.SqliteDatabase));
    }

    [Fact]
    public async Task A_missing_config_file_is_refused()
    {
        var result = await Programs.RunSiloToExitAsync("--config", Path.Combine(_directory.Path, "nope.json"));

        AssertOneErrorLine(result, 2, "does not exist");
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_is_refused()
    {
        var file = _directory.WriteFile("bad.json", "{ \"Node\": ");

        var result = await Programs.RunSiloToExitAsync("--config", file);

        AssertOneErrorLine(result, 2, "is not valid JSON: line 1, column 11:");
        Assert.DoesNotContain("LineNumber", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_with_an_unknown_key_is_refused()
    {
        var file = _directory.WriteFile("typo.json", """{ "Node": "a", "Prot": 4000 }""");

        var result = await Programs.RunSiloToExitAsync("--config", file);

        AssertOneErrorLine(result, 2, "unknown key 'Prot'");
    }

    [Fact]
    public async Task A_config_file_with_invalid_timeouts_is_refused()
    {
        var ports = SiloPorts.Next();
        var file = _directory.WriteFile("timeouts.json", $$"""
            { "Node": "a", "Port": {{ports.Silo}}, "GatewayPort": {{ports.Gateway}}, "Database": "{{_directory.SqliteDatabase}}",
              "Lease": { "RenewPeriod": "00:00:02", "Timeout": "00:00:01" } }
            """);

        var result = await Programs.RunSiloToExitAsync("--config", file);

        AssertOneErrorLine(result, 2, "invalid configuration: Lease:Timeout (1000 ms) must be longer than Lease:RenewPeriod (2000 ms)");
        Assert.DoesNotContain("DataAnnotation", result.Error, StringComparison.Ordinal);
        Assert.Empty(await MembershipReader.ReadAsync(_directory.SqliteDatabase));
    }

    [Fact]
    public async Task An_invalid_agent_option_is_one_line_in_the_option_s_words_and_nothing_else_is_printed()
    {
        var ports = SiloPorts.Next();
        var file = _directory.WriteFile("agents.json", $$"""
            { "Node": "a", "Port": {{ports.Silo}}, "GatewayPort": {{ports.Gateway}}, "Database": "{{_directory.SqliteDatabase}}",
              "Agents": { "TopologyRefresh": "00:00:00" } }
            """);

        var result = await Programs.RunSiloToExitAsync("--config", file);

        AssertOneErrorLine(result, 2, "invalid configuration: Agents:TopologyRefresh must be above zero and at most 10 minutes, not 00:00:00");
        Assert.DoesNotContain("DataAnnotation", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("AgentOptions", result.Error, StringComparison.Ordinal);
        Assert.True(result.Output.Trim().Length == 0, $"nothing but the error line is printed, got:\n{result.Output}");
        Assert.Empty(await MembershipReader.ReadAsync(_directory.SqliteDatabase));
    }

    [Theory]
    [InlineData("RefusedPorts", """{ "ConfirmDelay": "00:00:00.001" }""", "RefusedPorts:ConfirmDelay must be between 10 ms and 10 s (got 1 ms)")]
    [InlineData("RefusedPorts", """{ "DeclareDaed": true }""", "unknown key RefusedPorts:DeclareDaed")]
    [InlineData("GatewayConnections", """{ "StallTimeout": "00:00:00.500" }""", "GatewayConnections:StallTimeout must be between 1 s and 10 min (got 00:00:00.5000000)")]
    [InlineData("GatewayConnections", """{ "WriteBufferBytes": 100 }""", "GatewayConnections:WriteBufferBytes must be between 4096 and 67108864 (got 100)")]
    [InlineData("GatewayConnections", """{ "StallTimeot": "00:00:30" }""", "unknown key GatewayConnections:StallTimeot")]
    [InlineData("Lease", """{ "Timeot": "00:00:01" }""", "unknown key Lease:Timeot")]
    [InlineData("Membership", """{ "ProbeTimeot": "00:00:01" }""", "unknown key Membership:ProbeTimeot")]
    public async Task A_bad_value_or_unknown_key_inside_a_section_is_refused_with_one_line(string section, string body, string message)
    {
        var ports = SiloPorts.Next();
        var file = _directory.WriteFile("section.json", $$"""
            { "Node": "a", "Port": {{ports.Silo}}, "GatewayPort": {{ports.Gateway}}, "Database": "{{_directory.SqliteDatabase}}", "{{section}}": {{body}} }
            """);

        var result = await Programs.RunSiloToExitAsync("--config", file);

        AssertOneErrorLine(result, 2, message);
        Assert.Empty(await MembershipReader.ReadAsync(_directory.SqliteDatabase));
    }

    [Fact]
    public async Task The_config_file_the_environment_and_the_command_line_are_layered()
    {
        var ports = SiloPorts.Next();
        var file = _directory.WriteFile("silo.json", $$"""{ "Node": "from-file", "Port": 1, "GatewayPort": 2, "Database": "{{_directory.SqliteDatabase}}" }""");

        await using var silo = Programs.StartSilo("--config", file, "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}");
        await Eventually.True(async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "from-file", SiloStatus.Active) is { } row
            && row.Address.Endpoint.Port == ports.Silo && row.ProxyPort == ports.Gateway, "the silo runs with the file's node name and the command line's ports");
    }

    [Theory]
    [InlineData(2, "unknown command 'memberz'", "memberz")]
    [InlineData(2, "no command given")]
    [InlineData(2, "members takes no arguments", "members", "extra")]
    [InlineData(2, "--database must be sqlite:PATH or postgres:CONNECTION_STRING", "members", "--database", "oracle:x")]
    [InlineData(2, "option --database needs a value", "members", "--database")]
    [InlineData(2, "apply needs -f FILE", "apply")]
    [InlineData(2, "topology file 'no-such.json' does not exist", "apply", "-f", "no-such.json")]
    [InlineData(2, "apply: unknown option '--forse'", "apply", "--forse", "x")]
    [InlineData(2, "apply: unexpected argument 'x' (apply takes no arguments)", "apply", "--force", "x")]
    [InlineData(2, "confirm-loss: 'tertiary' is not a director instance (primary or secondary)", "confirm-loss", "agent-1", "tertiary")]
    [InlineData(2, "confirm-loss: 2 argument(s) expected, got 1", "confirm-loss", "agent-1")]
    [InlineData(2, "switch-over: unexpected argument 'agent-2'", "switch-over", "agent-1", "agent-2")]
    [InlineData(2, "agents: unexpected argument 'all'", "agents", "all")]
    [InlineData(2, "events: --limit must be an integer from 1 to 100000 (got 'many')", "events", "--limit", "many")]
    [InlineData(2, "events: unknown option '--node'", "events", "--node", "a")]
    [InlineData(2, "--service-id needs a non-empty value", "events", "--service-id", " ")]
    [InlineData(2, "submit: 1 argument(s) expected, got 0", "submit")]
    [InlineData(2, "submit: argument name '1x' is invalid", "submit", "hello", "--arg", "1x=y")]
    [InlineData(2, "submit: --arg needs NAME=VALUE, not 'novalue'", "submit", "hello", "--arg", "novalue")]
    [InlineData(2, "submit: argument 'who' is given twice", "submit", "hello", "--arg", "who=a", "--arg", "who=b")]
    [InlineData(2, "submit: unknown option '--priority'", "submit", "hello", "--priority", "1")]
    [InlineData(2, "submit: an order id must not contain control characters", "submit", "hello", "--id", "a\tb")]
    [InlineData(2, "orders: --state must be one of Pending, Processing, Finished, Failed, Cancelled (got 'Done')", "orders", "--state", "Done")]
    [InlineData(2, "order: 1 argument(s) expected, got 0", "order")]
    [InlineData(2, "cancel: unexpected argument 'b'", "cancel", "a", "b")]
    [InlineData(2, "enable: 1 argument(s) expected, got 0", "enable")]
    // --option=value works for every option, global or a command's.
    [InlineData(2, "events: --limit must be an integer from 1 to 100000 (got 'many')", "events", "--limit=many")]
    [InlineData(2, "--service-id needs a non-empty value", "events", "--service-id= ")]
    [InlineData(2, "--cluster-id needs a non-empty value", "--cluster-id=", "members")]
    [InlineData(2, "--database must be sqlite:PATH or postgres:CONNECTION_STRING", "--database=oracle:x", "members")]
    [InlineData(2, "submit: argument name '1x' is invalid", "submit", "hello", "--arg=1x=y")]
    [InlineData(2, "submit: an order id must not contain control characters", "submit", "hello", "--id=a\tb")]
    [InlineData(2, "orders: --state must be one of Pending, Processing, Finished, Failed, Cancelled (got 'Done')", "orders", "--state=Done")]
    [InlineData(2, "orders: --limit must be an integer from 1 to 100000 (got '0')", "orders", "--job=x", "--limit=0")]
    [InlineData(2, "topology file 'no-such.json' does not exist", "apply", "--file=no-such.json")]
    [InlineData(2, "topology file 'no-such.json' does not exist", "apply", "-f=no-such.json")]
    // One line naming the problem, never a help dump, whatever System.CommandLine makes of it.
    [InlineData(2, "events: option --limit needs a value", "events", "--limit", "--agent", "a")]
    [InlineData(2, "submit: unknown option '--priority'", "submit", "--priority", "1", "hello")]
    [InlineData(2, "unknown command '[diagram]'", "[diagram]", "members")]
    [InlineData(2, "members: unexpected argument 'true'", "members", "--json=true")]
    [InlineData(2, "unknown command '@args.rsp'", "@args.rsp")]
    public async Task Bad_client_command_lines_are_refused_with_one_line(int exitCode, string message, params string[] args)
    {
        var result = await Programs.RunClientAsync(args);

        AssertOneErrorLine(result, exitCode, message);
    }

    [Fact]
    public async Task An_oversized_order_argument_is_refused_before_anything_is_sent()
    {
        var result = await Programs.RunClientAsync("submit", "hello", "--arg", $"big={new string('x', 5000)}", "--database", _directory.SqliteDatabase);

        AssertOneErrorLine(result, 2, "argument 'big' is 5000 characters long; at most 4096");
        Assert.False(File.Exists(_directory.SqliteDatabase));
    }

    [Fact]
    public async Task An_invalid_topology_is_reported_one_line_per_problem_and_nothing_is_applied()
    {
        var file = _directory.WriteFile("topology.json", """
            { "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-a" }, "heartbeat": "25x" } ],
              "subagents": [ { "id": "sub-a", "agent": "agent-9", "node": "node-a" } ], "extra": 1 }
            """);

        // The file is judged before any connection: no database is needed, and none is created.
        var result = await Programs.RunClientAsync("apply", "-f", file, "--database", _directory.SqliteDatabase);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("extra: unknown key", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("agentClusters[0].heartbeat", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("agent-9", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("node-a", StringComparison.Ordinal) && l.Contains("directors", StringComparison.Ordinal));
        Assert.EndsWith("nothing was applied", lines[^1], StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.DatabaseFile));
    }

    [Theory]
    [InlineData("directory", 2, "is a directory")]
    [InlineData("/dev/zero", 1, "topology file '/dev/zero' is larger than the limit of 4 MiB (4194304 bytes)")]
    [InlineData("sparse-1g", 1, "is larger than the limit of 4 MiB (4194304 bytes)")]
    [InlineData("limit+1", 1, "is larger than the limit of 4 MiB (4194304 bytes)")]
    [InlineData("/proc/self/mem", 1, "cannot read topology file '/proc/self/mem': input/output error")]
    [InlineData("empty", 1, "is empty")]
    [InlineData("latin-1", 1, "is not UTF-8 text")]
    public async Task A_topology_file_that_cannot_be_used_is_refused_in_one_line_without_reading_it_all(string kind, int exitCode, string message)
    {
        var file = kind switch
        {
            "directory" => Directory.CreateDirectory(Path.Combine(_directory.Path, "topology.d")).FullName,
            "sparse-1g" => Sized(1L << 30),
            "limit+1" => Sized(Failover.Agents.Topology.TopologyLimits.MaxFileBytes + 1L),
            "empty" => Sized(0),
            "latin-1" => Written([.. "{ \"agentClusters\": [ { \"id\": \"caf"u8, 0xE9, .. "\" } ] }"u8]),
            _ => kind,
        };

        var result = await Programs.RunClientAsync("apply", "-f", file, "--database", _directory.SqliteDatabase);

        AssertOneErrorLine(result, exitCode, message);
        Assert.False(File.Exists(_directory.DatabaseFile));

        string Sized(long length)
        {
            var path = Path.Combine(_directory.Path, $"{kind}.json");
            using var stream = File.Create(path);
            stream.SetLength(length);
            return path;
        }

        string Written(byte[] bytes)
        {
            var path = Path.Combine(_directory.Path, $"{kind}.json");
            File.WriteAllBytes(path, bytes);
            return path;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ctrl_C_ends_an_apply_whose_topology_file_is_a_pipe_without_a_writer_or_without_data(bool writerOpen)
    {
        using var pipe = NamedPipe.Create(Path.Combine(_directory.Path, "topology.fifo"));
        // Without the runtime's debugger pipe, the only open(2) of a pipe that waits for its other end is the client's.
        var noDebuggerPipe = new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" };
        await using var client = ProcessRunner.Start(BuildOutput.ClientDll, noDebuggerPipe, "apply", "-f", pipe.Path, "--database", _directory.SqliteDatabase);
        await Eventually.True(() => NamedPipe.IsOpenWaitingIn(client.Id), "the client waits in open(2) for the pipe's writer");
        if (writerOpen)
        {
            // The open completes; the client's read then waits, inside the kernel, for data that never comes.
            await Eventually.True(pipe.TryOpenWriter, "the pipe's writer end opens");
        }

        client.Signal(Signals.SigInt);

        Assert.Equal(130, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("error: interrupted", client.StandardError.Trim());
        Assert.False(File.Exists(_directory.DatabaseFile));
    }

    [Fact]
    public async Task A_topology_file_of_exactly_the_limit_is_read()
    {
        var file = Path.Combine(_directory.Path, "padded.json");
        var text = "{}" + new string(' ', Failover.Agents.Topology.TopologyLimits.MaxFileBytes - 2);
        await File.WriteAllTextAsync(file, text);

        var result = await Programs.RunClientAsync("apply", "-f", file, "--database", _directory.SqliteDatabase);

        // Read and valid: only then does the client look for the cluster, and find no database.
        AssertOneErrorLine(result, 1, "the database file does not exist");
    }

    [Fact]
    public async Task Applying_a_topology_while_the_database_is_down_is_one_line()
    {
        var file = _directory.WriteFile("topology.json", """{ "agentClusters": [ { "id": "agent-1", "directors": { "primary": "a", "secondary": "b" } } ] }""");

        var result = await Programs.RunClientAsync(
            "apply", "-f", file, "--database", $"postgres:Host=127.0.0.1;Port={TestDirectory.FreePort()};Username=x;Timeout=3");

        AssertOneErrorLine(result, 1, "cannot reach database");
    }

    [Theory]
    [InlineData("members")]
    [InlineData("events")]
    [InlineData("agents")]
    [InlineData("failover-pairs")]
    public async Task Client_commands_on_a_database_no_silo_set_up_are_one_line_and_create_nothing(string command)
    {
        var missing = await Programs.RunClientAsync(command, "--database", _directory.SqliteDatabase);

        AssertOneErrorLine(missing, 1, "the database file does not exist");
        Assert.False(File.Exists(_directory.DatabaseFile));

        await File.WriteAllBytesAsync(_directory.DatabaseFile, []);
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(_directory.DatabaseFile, written);
        var empty = await Programs.RunClientAsync(command, "--database", _directory.SqliteDatabase);

        AssertOneErrorLine(empty, 1, "the database has no cluster schema");
        var file = new FileInfo(_directory.DatabaseFile);
        Assert.True(file.Length == 0, $"the empty file was rewritten: now {file.Length} bytes");
        Assert.Equal(written, file.LastWriteTimeUtc);
        Assert.Equal([Path.GetFileName(_directory.DatabaseFile)], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("members")]
    [InlineData("order")]
    public async Task A_sqlite_file_of_another_program_is_refused_and_left_as_it_was(string command)
    {
        await using (var connection = new SqliteConnection($"Data Source={_directory.DatabaseFile};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE Other (X INTEGER)";
            await create.ExecuteNonQueryAsync();
        }

        var before = await File.ReadAllBytesAsync(_directory.DatabaseFile);
        string[] args = command == "order" ? ["order", "x"] : [command];
        var result = await Programs.RunClientAsync([.. args, "--database", _directory.SqliteDatabase]);

        AssertOneErrorLine(result, 1, "the database has no cluster schema");
        Assert.Equal(before, await File.ReadAllBytesAsync(_directory.DatabaseFile));
        Assert.Equal([Path.GetFileName(_directory.DatabaseFile)], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Help_prints_the_usage_and_a_command_s_options()
    {
        var root = await Programs.RunClientAsync("--help");
        Assert.True(root.ExitCode == 0, root.Error);
        Assert.Contains("switch-over AGENT", root.Output, StringComparison.Ordinal);
        Assert.Contains("apply -f FILE [--force]", root.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, root.Error);

        var submit = await Programs.RunClientAsync("submit", "--help");
        Assert.True(submit.ExitCode == 0, submit.Error);
        Assert.Contains("--arg", submit.Output, StringComparison.Ordinal);
        Assert.Contains("--wait", submit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_shows_the_stored_record_of_a_pending_order_when_no_silo_answers()
    {
        await using (var database = Failover.Storage.ClusterDatabase.Open(Failover.Storage.DatabaseLocation.Parse(_directory.SqliteDatabase)))
        {
            await database.ApplySchemaAsync(CancellationToken.None);
            var order = new Failover.Agents.Orders.OrderRecord { Id = "stranded", Job = "work", Created = DateTime.UtcNow, Updated = DateTime.UtcNow };
            // Written as a dispatcher would have before its silo went away (no dispatcher runs here to hold a claim).
            var written = await database.CreateRecordStore("default")
                .WriteAsync(Failover.Agents.Dispatching.OrderStore.Kind, [Failover.Agents.Dispatching.OrderStore.WriteOf("workers", order, 0)], CancellationToken.None);
            Assert.True(written[0].Applied);
        }

        // Its dispatcher would know why it waits, but no silo runs: the database alone answers.
        var shown = await Programs.RunClientAsync("order", "stranded", "--database", _directory.SqliteDatabase);

        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("order stranded: Pending", shown.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, shown.Error.Trim());
    }

    [Fact]
    public async Task The_client_reports_an_unreachable_database_in_one_line()
    {
        var result = await Programs.RunClientAsync("members", "--database", $"postgres:Host=127.0.0.1;Port={TestDirectory.FreePort()};Username=x;Timeout=3");

        AssertOneErrorLine(result, 1, "cannot reach database");
    }

    /// <summary>A silo port and a gateway port that are free, for a silo that should be refused before it binds them.</summary>
    private static string[] FreePortArguments()
    {
        var ports = SiloPorts.Next();
        return ["--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}"];
    }

    private static void AssertOneErrorLine((int ExitCode, string Output, string Error) result, int exitCode, string message)
    {
        var errorLines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(errorLines.Length == 1, $"expected one error line, got:\n{result.Error}\nstdout:\n{result.Output}");
        Assert.StartsWith("error: ", errorLines[0], StringComparison.Ordinal);
        Assert.Contains(message, errorLines[0], StringComparison.Ordinal);
        Assert.Equal(exitCode, result.ExitCode);
    }
}
