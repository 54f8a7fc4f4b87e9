using System;
using System.Collections.Generic;
using System.Globalization;

namespace Zoo;

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
    public const int DefaultSteps = 500;

    /// <summary>The largest --steps: every gradient of a run is kept for the timed replays (steps·d doubles).</summary>
    public const int MaxSteps = 100_000;

    /// <summary>The fixed number of steps every method runs.</summary>
    public int Steps { get; init; } = DefaultSteps;

    /// <summary>Seeds the data, the planted w⋆ and the label noise.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Print the usage and stop.</summary>
    public bool Help { get; init; }

    public static string Usage =>
        $"""
        Usage: dotnet run -c Release --project samples/Zoo [options]

        Trains every ready optimizer of DslOptim.Optimizers, and the dual-space preconditioning paper's normalized GD,
        gradient clipping and Adam without momentum, on one planted logistic regression problem (n = {Program.Samples},
        d = {Program.Features}) for a fixed number of steps, and prints one table: final loss, steps to the target loss,
        state bytes per parameter and time per step.

        Options:
          --steps T    steps every method runs (default {DefaultSteps}, at most {MaxSteps})
          --seed S     seed of the data, the planted w⋆ and the label noise (default 1)
          --help, -h   this text

        Exit codes: 0 done, 1 a run failed, 2 bad options.
        """;

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>.</summary>
    /// <exception cref="OptionsException">An unknown option, or a missing or malformed value.</exception>
    public static Options Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new Options();
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
                    if (inline is not null)
                    {
                        throw new OptionsException($"{name} takes no value, but '{arg}' was given.");
                    }
                    options = options with { Help = true };
                    break;
                case "--steps":
                    options = options with { Steps = ParseInt(name, Value(args, ref i, name, inline, "500"), 1, MaxSteps) };
                    break;
                case "--seed":
                    options = options with { Seed = ParseInt(name, Value(args, ref i, name, inline, "1"), int.MinValue, int.MaxValue) };
                    break;
                default:
                    throw new OptionsException(name.StartsWith('-')
                        ? $"Unknown option '{name}'."
                        : $"Unexpected argument '{arg}': options start with --.");
            }
        }
        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name, string? inline, string example)
    {
        if (inline is not null)
        {
            return inline;
        }
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new OptionsException($"{name} needs a value, e.g. '{name} {example}'.");
        }
        i++;
        return args[i];
    }

    private static int ParseInt(string name, string text, int min, int max)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new OptionsException($"{name} needs a whole number, but got '{text}'.");
        }
        if (value < min || value > max)
        {
            throw new OptionsException(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, but got {value}."));
        }
        return (int)value;
    }
}
