using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TwoLayer;

/// <summary>A command line that could not be accepted; the message names the option.</summary>
public sealed class OptionsException(string message) : Exception(message);

/// <summary>The sample's sizes. Default: under two minutes on two cores; <c>--full</c>: the paper's; <c>--tiny</c>: a smoke test.</summary>
public sealed record Options
{
    public const string DefaultOutput = "two-layer-output";

    public string Output { get; init; } = DefaultOutput;

    public bool Full { get; init; }

    public bool Tiny { get; init; }

    public bool Help { get; init; }

    public int Seed { get; init; } = 1;

    public int Threads { get; init; } = 1;

    /// <summary>Repeats of Figs. 1, 2 and 4 (Fig. 3 always uses max(this, 30) unless --tiny).</summary>
    public int? RepeatsOverride { get; init; }

    public int? StepsOverride { get; init; }

    public int Repeats => RepeatsOverride ?? (Tiny ? 1 : Full ? 30 : 5);

    public int Fig3Repeats => Tiny ? 2 : Math.Max(RepeatsOverride ?? 30, 1);

    /// <summary>Steps of Figs. 1 and 2.</summary>
    public int Steps => StepsOverride ?? (Tiny ? 15 : Full ? 2000 : 400);

    /// <summary>Steps of Fig. 4.</summary>
    public int Fig4Steps => StepsOverride ?? (Tiny ? 15 : Full ? 2000 : 400);

    /// <summary>Widths of Figs. 1 and 2 (§4: 500, 1000, 4000).</summary>
    public int[] Widths => Tiny ? [40, 80] : [500, 1000, 4000];

    /// <summary>σ of §4's Y = X W₁(0)W₂(0)ᵀ + σ²ε (the paper does not list its three values).</summary>
    public double[] Sigmas => Tiny ? [1.0, 3.0] : [1.0, 3.0, 10.0];

    /// <summary>(h, σ) of Fig. 2: one setting where (87) sets η_max, a wider one, and one with a large initial loss where (88) does.</summary>
    public (int H, double Sigma)[] Fig2Settings => Tiny ? [(40, 1.0), (80, 3.0)] : [(500, 1.0), (4000, 3.0), (1000, 10.0)];

    /// <summary>Widths of Fig. 3 (Appendix G.1: h ∈ [500, 2000]).</summary>
    public int[] Fig3Widths => Tiny ? [40, 80] : Full ? Enumerable.Range(0, 16).Select(i => 500 + (100 * i)).ToArray() : Enumerable.Range(0, 7).Select(i => 500 + (250 * i)).ToArray();

    /// <summary>Widths of Fig. 4 (Appendix G.2, n = m = 5; the paper does not list its widths).</summary>
    public int[] Fig4Widths => Tiny ? [20, 40] : Full ? [20, 200, 2000, 20000] : [20, 200, 2000];

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project samples/TwoLayer [options]

        Reproduces §4 and Appendix G of the local-PL paper on two-layer linear networks (Problem 2, squared loss):
        Fig. 1 (L(t) against the bounds (17) and (20)), Fig. 2 (eq. (19) against constant η0 and backtracking),
        Fig. 3 (κ(𝒯₀) against the width h), Fig. 4 (over- against non-overparametrized GD). Tables on the console;
        PNGs and CSVs in the output folder.

        Options:
          --out DIR       output folder (default ./two-layer-output)
          --full          the paper's sizes: 30 repeats, 2000 steps, h ∈ [500, 2000] by 100 for Fig. 3 (~8 minutes)
          --tiny          a few seconds: small widths, 1 repeat, 15 steps (smoke test)
          --repeats N     repeats of Figs. 1, 2, 4 (default 5; Fig. 3 uses 30)
          --steps N       steps of Figs. 1, 2, 4 (default 400)
          --seed N        seeds every draw (default 1)
          --threads N     threads of the generated step (default 1; 0 = all processors)
          --help          this text
        """;

    public static Options Parse(IReadOnlyList<string> args)
    {
        var o = new Options();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--help": o = o with { Help = true }; break;
                case "--full": o = o with { Full = true }; break;
                case "--tiny": o = o with { Tiny = true }; break;
                case "--out":
                    string dir = Value(args, ref i, a);
                    if (dir.Length == 0)
                    {
                        throw new OptionsException("--out needs a folder.");
                    }
                    o = o with { Output = dir };
                    break;
                case "--repeats": o = o with { RepeatsOverride = Positive(args, ref i, a) }; break;
                case "--steps": o = o with { StepsOverride = Positive(args, ref i, a) }; break;
                case "--seed": o = o with { Seed = Integer(args, ref i, a, 0) }; break;
                case "--threads": o = o with { Threads = Integer(args, ref i, a, 0) }; break;
                default: throw new OptionsException($"unknown option '{a}'.");
            }
        }
        if (o.Full && o.Tiny)
        {
            throw new OptionsException("--full and --tiny exclude each other.");
        }
        return o;
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count)
        {
            throw new OptionsException($"{name} needs a value.");
        }
        return args[++i];
    }

    private static int Positive(IReadOnlyList<string> args, ref int i, string name) => Integer(args, ref i, name, 1);

    private static int Integer(IReadOnlyList<string> args, ref int i, string name, int min)
    {
        string v = Value(args, ref i, name);
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min)
        {
            throw new OptionsException($"{name} needs an integer ≥ {min}, not '{v}'.");
        }
        return n;
    }
}
