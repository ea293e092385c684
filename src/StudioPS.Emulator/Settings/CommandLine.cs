using System.Globalization;

namespace StudioPS.Emulator.Settings;

/// <summary>A usage error: Program prints it and exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>--help: Program prints the usage and exits with code 0.</summary>
public sealed class HelpRequestedException() : Exception("help requested");

/// <summary>The emulator's command line, parsed. Null means "not given" so settings files can fill it.</summary>
public sealed class CommandLineOptions
{
    public int Port { get; set; }
    public string? SettingsPath { get; set; }
    public string? Token { get; set; }
    public string? ReadOnlyToken { get; set; }
    public string? ControlToken { get; set; }
    public string? Team { get; set; }
    public double? Speed { get; set; }
    public int? ParentPid { get; set; }
    public int MaxLifetimeSec { get; set; } = 3600;
    public string? DataDir { get; set; }
    public string? PipelineTriggerForm { get; set; }
    public int? PartsMemoryMib { get; set; }

    public const string Usage =
        "usage: StudioPS.Emulator [--port N] [--urls http://127.0.0.1:N] [--settings file.json] [--token T]\n" +
        "                         [--readonly-token T] [--team NAME] [--speed F] [--parent-pid PID]\n" +
        "                         [--max-lifetime-sec N] [--data-dir DIR] [--control-token T]\n" +
        "                         [--pipeline-trigger-form any|document|official] [--parts-memory-mib N]";

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CommandLineOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? inline = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new UsageException($"{arg} needs a value");
                return args[++i];
            }

            switch (arg.ToLowerInvariant())
            {
                case "--port": o.Port = ParsePort(Value(), "--port"); break;
                case "--urls": o.Port = ParseUrls(Value()); break;
                case "--settings": o.SettingsPath = Value(); break;
                case "--token": o.Token = NonEmpty(Value(), "--token"); break;
                case "--readonly-token": o.ReadOnlyToken = NonEmpty(Value(), "--readonly-token"); break;
                case "--control-token": o.ControlToken = NonEmpty(Value(), "--control-token"); break;
                case "--team": o.Team = NonEmpty(Value(), "--team"); break;
                case "--speed": o.Speed = ParseSpeed(Value()); break;
                case "--parent-pid": o.ParentPid = ParseInt(Value(), "--parent-pid", 1, int.MaxValue); break;
                case "--max-lifetime-sec": o.MaxLifetimeSec = ParseInt(Value(), "--max-lifetime-sec", 0, int.MaxValue); break;
                case "--data-dir": o.DataDir = NonEmpty(Value(), "--data-dir"); break;
                case "--parts-memory-mib": o.PartsMemoryMib = ParseInt(Value(), "--parts-memory-mib", 0, 1024 * 1024); break;
                case "--pipeline-trigger-form":
                    string form = Value().Trim().ToLowerInvariant();
                    o.PipelineTriggerForm = form is "any" or "document" or "official"
                        ? form : throw new UsageException("--pipeline-trigger-form must be any, document or official");
                    break;
                case "--help" or "-h" or "-?": throw new HelpRequestedException();
                default: throw new UsageException($"unknown argument '{args[i]}'");
            }
        }
        return o;
    }

    public static double ParseSpeed(string s)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || double.IsInfinity(v))
            throw new UsageException($"--speed must be a positive number, got '{s}'");
        return v;
    }

    static string NonEmpty(string s, string name) =>
        string.IsNullOrWhiteSpace(s) ? throw new UsageException($"{name} must not be empty") : s;

    static int ParseInt(string s, string name, int min, int max)
    {
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new UsageException($"{name} must be an integer between {min} and {max}, got '{s}'");
        return v;
    }

    static int ParsePort(string s, string name) => ParseInt(s, name, 0, 65535);

    // The emulator is a test double holding tokens: it must never be reachable from another machine.
    static int ParseUrls(string s)
    {
        if (s.Contains(';')) throw new UsageException("--urls accepts a single address");
        if (!Uri.TryCreate(s.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new UsageException($"--urls must look like http://127.0.0.1:PORT, got '{s}'");
        if (uri.Host != "127.0.0.1")
            throw new UsageException($"the emulator binds 127.0.0.1 only; refusing host '{uri.Host}' in --urls");
        // "http://127.0.0.1:0" parses with an explicit port; without one Uri reports 80, which we keep.
        return uri.Port;
    }
}
