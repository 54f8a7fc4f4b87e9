using System;
using System.Collections.Generic;
using System.Globalization;

namespace ImplicitBias;

/// <summary>A command line that could not be accepted; the message names the option.</summary>
public sealed class OptionsException : Exception
{
    public OptionsException(string message)
        : base(message)
    {
    }
}

/// <summary>The sample's options. <see cref="Parse"/> validates everything before any work starts.</summary>
public sealed record Options
{
    /// <summary>The largest n·d accepted: X is held densely in memory (8 bytes per entry).</summary>
    public const long MaxEntries = 20_000_000;

    public const string DefaultOutput = "implicit-bias-output";

    /// <summary>Samples: rows of X.</summary>
    public int N { get; init; } = 50;

    /// <summary>Features: columns of X; n &lt; d (overparameterized).</summary>
    public int D { get; init; } = 200;

    /// <summary>Seeds X, the planted w⋆ and W0.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The step cap of every run (each run stops earlier once ‖∇L‖ is tiny).</summary>
    public long Steps { get; init; } = 1_000_000;

    /// <summary>The output folder for the PNGs and summary.csv.</summary>
    public string Output { get; init; } = DefaultOutput;

    /// <summary>A tiny run (n = 20, d = 60, fewer ε and η) for a smoke test.</summary>
    public bool Quick { get; init; }

    /// <summary>Print the usage and stop.</summary>
    public bool Help { get; init; }

    /// <summary>Points of the ε sweep (Fig. 1).</summary>
    public int EpsilonPoints => Quick ? 5 : 10;

    /// <summary>Points of the η sweep (Fig. 2).</summary>
    public int EtaPoints => Quick ? 5 : 10;

    /// <summary>Steps of the runs at η* (bound (6) checked where it applies).</summary>
    public long CertificateSteps => Math.Min(Steps, Quick ? 5_000 : 20_000);

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project samples/ImplicitBias [options]

        Reproduces §IV of the dual-space preconditioning paper on planted least squares:
        Theorem 2 (isotropic potentials converge to the p = 2 interpolator), Fig. 1 (Adam without
        momentum against the p = 1, 2, ∞ interpolators as ε varies), Fig. 2 (its limit as η varies)
        and the bound (6) certificates.

        Options:
          --n N        samples, rows of X (default 50; quick 20)
          --d D        features, columns of X; must exceed n (default 200; quick 60)
          --seed S     seed of X, w⋆ and W0 (default 1)
          --steps T    step cap of every run (default 1000000); runs stop earlier when ‖∇L‖ is tiny
          --out DIR    output folder for the PNGs and summary.csv (default ./implicit-bias-output)
          --quick      a tiny run (n = 20, d = 60, 5 values of ε and of η); --n/--d still override
          --help, -h   this text

        Exit codes: 0 done, 1 a run failed, 2 bad options.
        """;

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>.</summary>
    /// <exception cref="OptionsException">An unknown flag, a missing or malformed value, or inconsistent sizes.</exception>
    public static Options Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int? n = null;
        int? d = null;
        var seed = 1;
        var steps = 1_000_000L;
        var output = DefaultOutput;
        var quick = false;
        var help = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i] ?? throw new OptionsException("A null argument was passed.");
            string name;
            string? inline = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }
            else
            {
                name = arg;
            }

            switch (name)
            {
                case "--help":
                case "-h":
                    NoValue(name, inline);
                    help = true;
                    break;
                case "--quick":
                    NoValue(name, inline);
                    quick = true;
                    break;
                case "--n":
                    n = ParseInt(name, Value(args, ref i, name, inline), 1, int.MaxValue);
                    break;
                case "--d":
                    d = ParseInt(name, Value(args, ref i, name, inline), 2, int.MaxValue);
                    break;
                case "--seed":
                    seed = ParseInt(name, Value(args, ref i, name, inline), int.MinValue, int.MaxValue);
                    break;
                case "--steps":
                    steps = ParseLong(name, Value(args, ref i, name, inline), 1, 1_000_000_000_000);
                    break;
                case "--out":
                    output = Value(args, ref i, name, inline);
                    if (string.IsNullOrWhiteSpace(output))
                    {
                        throw new OptionsException("--out needs a folder name, not an empty value.");
                    }
                    break;
                default:
                    throw new OptionsException(name.StartsWith('-')
                        ? $"Unknown option '{name}'. Run with --help for the options."
                        : $"Unexpected argument '{arg}': options start with --. Run with --help for the options.");
            }
        }

        var options = new Options
        {
            N = n ?? (quick ? 20 : 50),
            D = d ?? (quick ? 60 : 200),
            Seed = seed,
            Steps = steps,
            Output = output,
            Quick = quick,
            Help = help,
        };
        if (options.N >= options.D)
        {
            throw new OptionsException(
                $"--n = {options.N} and --d = {options.D}: the experiment needs n < d (overparameterized: the interpolators of (11) are not unique otherwise).");
        }
        if ((long)options.N * options.D > MaxEntries)
        {
            throw new OptionsException(
                $"--n = {options.N} and --d = {options.D}: n·d = {(long)options.N * options.D} exceeds the {MaxEntries} entries this sample holds in memory.");
        }
        return options;
    }

    private static void NoValue(string name, string? inline)
    {
        if (inline is not null)
        {
            throw new OptionsException($"{name} takes no value, but '{name}={inline}' was given.");
        }
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name, string? inline)
    {
        if (inline is not null)
        {
            return inline;
        }
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new OptionsException($"{name} needs a value, e.g. '{name} {Example(name)}'.");
        }
        i++;
        return args[i];
    }

    private static string Example(string name) => name switch
    {
        "--n" => "50",
        "--d" => "200",
        "--seed" => "1",
        "--steps" => "100000",
        _ => "implicit-bias-output",
    };

    private static int ParseInt(string name, string text, int min, int max)
        => (int)ParseLong(name, text, min, max);

    private static long ParseLong(string name, string text, long min, long max)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new OptionsException($"{name} needs a whole number, but got '{text}'.");
        }
        if (value < min || value > max)
        {
            throw new OptionsException(
                string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, but got {value}."));
        }
        return value;
    }
}
