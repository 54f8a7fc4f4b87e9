using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using DslOptim.Generators.Analysis;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace DslOptim.Generators.Tests.Analysis;

/// <summary>
/// A soundness battery for the theory checker's convexity verdict: scalar formulas whose convexity is known
/// by hand, each with an independent <see cref="Func{T, TResult}"/> of the same function, written here and
/// not derived from the checker. "Proven" must never be said of a non-convex formula; a refutation must come
/// with a midpoint witness that holds when re-evaluated here; and the checker should settle most cases.
/// </summary>
/// <remarks>
/// Hyperparameters as in <see cref="AnalysisHarness.Declaration"/>: Eps = 0.5, Delta = 1.
/// Labels are argued in the comment next to each entry (f″ and the kinks, or a composition rule).
/// </remarks>
public class ConvexityBatteryTests
{
    private const double Eps = 0.5;
    private const double Delta = 1.0;

    /// <summary>Required share of convex formulas proven, and of non-convex formulas refuted.</summary>
    private const double RequiredShare = 0.90;

    /// <summary>
    /// A guard against runaway searches (an unbounded bisection, a budget that never runs out), not a
    /// benchmark (AnalyzerBenchmarks measures): one Report call, after a warm-up call that pays for JIT and Roslyn
    /// start-up, stays under this. The slowest formula takes ~0.35 s alone; test classes run in parallel on a 2-core
    /// machine, so the limit leaves room for contention.
    /// </summary>
    private static readonly TimeSpan PerFormulaLimit = TimeSpan.FromSeconds(5);

    private readonly ITestOutputHelper _output;

    public ConvexityBatteryTests(ITestOutputHelper output) => _output = output;

    internal enum Domain
    {
        /// <summary>Elementwise φ(z) on ℝ.</summary>
        Reals,

        /// <summary>Isotropic h(s) on s ≥ 0.</summary>
        HalfLine,
    }

    internal sealed record Case(string Name, string Expression, Func<double, double> F, Domain Domain, bool Convex)
    {
        public string Source => Domain == Domain.HalfLine
            ? AnalysisHarness.Potential(Expression, "Isotropic", "s")
            : AnalysisHarness.Potential(Expression);

        public string Label => Convex ? "convex" : "non-convex";

        public string DomainText => Domain == Domain.HalfLine ? "s ≥ 0" : "ℝ";

        public bool Contains(double x) => Domain == Domain.HalfLine ? x >= 0 && !double.IsPositiveInfinity(x) : double.IsFinite(x);
    }

    internal sealed record Result(Case Case, FormulaReport? Report, Exception? Error, TimeSpan Elapsed)
    {
        /// <summary>The convexity outcome, or null when the analysis threw.</summary>
        public Outcome? Outcome => Report?.Convexity;

        public string OutcomeText => Error is not null ? "Error" : Outcome!.Value.ToString();

        public string Reason
        {
            get
            {
                if (Error is not null)
                {
                    return $"{Error.GetType().Name}: {Error.Message}";
                }
                var verdicts = Report!.Verdicts.Where(v => v.Claim.Contains("convex", StringComparison.Ordinal)).ToList();
                return verdicts.Count == 0
                    ? "(no convexity verdict)"
                    : string.Join(" | ", verdicts.Select(v => $"{v.Claim}: {v.Outcome} — {v.Reason}"));
            }
        }

        public string Describe()
            => $"  {Case.Name} [{Case.DomainText}] `{Case.Expression}` label={Case.Label} outcome={OutcomeText} ({Elapsed.TotalMilliseconds:F0} ms)\n      reason: {Reason}";
    }

    private static Case R(string name, string expression, Func<double, double> f, bool convex) => new(name, expression, f, Domain.Reals, convex);

    private static Case H(string name, string expression, Func<double, double> f, bool convex) => new(name, expression, f, Domain.HalfLine, convex);

    private static double Sq(double x) => x * x;

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    private static double LogCosh(double x)
    {
        var a = Math.Abs(x);
        return a + Math.Log(1 + Math.Exp(-2 * a)) - Math.Log(2);
    }

    private static double Sech2(double x) => 1 / Sq(Math.Cosh(x));

    internal static readonly IReadOnlyList<Case> Cases = new List<Case>
    {
        // ───────────── convex on ℝ ─────────────
        R("square", "z * z", z => Sq(z), true),                                                         // f″ = 2
        R("half square", "0.5 * z * z", z => z * z / 2, true),
        R("abs", "Math.Abs(z)", z => z < 0 ? -z : z, true),                                             // norm
        // g(t) = t − ε log(ε + t): g′ = t/(ε + t) ≥ 0 with g′(0) = 0, g″ = ε/(ε + t)² > 0; even extension of a
        // convex non-decreasing g with g′(0) = 0 is convex.
        R("adam |z| - Eps log(Eps + |z|)", "Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z))",
            z => Math.Abs(z) - 0.5 * Math.Log(0.5 + Math.Abs(z)), true),
        R("sqrt(1 + z²)", "Math.Sqrt(1 + z * z)", z => Math.Sqrt(1 + z * z), true),                     // f″ = (1 + z²)^(-3/2)
        R("pseudo-Huber", "Math.Sqrt(z * z + Eps * Eps) - Eps", z => Math.Sqrt(z * z + 0.25) - 0.5, true),
        R("softplus", "Math.Log(1 + Math.Exp(z))", Softplus, true),                                     // f″ = σ(1 − σ)
        R("logistic loss", "Math.Log(1 + Math.Exp(-z))", z => Softplus(-z), true),
        R("log cosh", "Math.Log(Math.Cosh(z))", LogCosh, true),                                         // f″ = sech²
        R("exp", "Math.Exp(z)", z => Math.Exp(z), true),
        R("exp(-z)", "Math.Exp(-z)", z => 1 / Math.Exp(z), true),
        R("cosh", "Math.Cosh(z)", z => 0.5 * (Math.Exp(z) + Math.Exp(-z)), true),
        R("relu", "Math.Max(z, 0)", z => z > 0 ? z : 0, true),                                          // max of affine
        R("max(z, -z)", "Math.Max(z, -z)", z => Math.Abs(z), true),
        R("max(z², |z|)", "Math.Max(z * z, Math.Abs(z))", z => Math.Abs(z) >= 1 ? z * z : Math.Abs(z), true),
        R("Huber", "Math.Abs(z) <= Delta ? 0.5 * z * z : Delta * (Math.Abs(z) - 0.5 * Delta)",
            z => Math.Abs(z) <= 1 ? z * z / 2 : Math.Abs(z) - 0.5, true),                               // C¹, slopes ±1 outside
        R("quartic", "z * z * z * z", z => Sq(Sq(z)), true),                                            // 12z²
        R("quartic + square", "z * z * z * z + z * z", z => Sq(Sq(z)) + Sq(z), true),
        R("|z|^1.5", "Math.Pow(Math.Abs(z), 1.5)", z => Math.Abs(z) * Math.Sqrt(Math.Abs(z)), true),   // p ≥ 1
        R("|z|^3", "Math.Pow(Math.Abs(z), 3)", z => Math.Abs(z) * z * z, true),
        R("|z|^1", "Math.Pow(Math.Abs(z), 1)", z => Math.Abs(z), true),
        R("|z| + z²/2", "Math.Abs(z) + 0.5 * z * z", z => Math.Abs(z) + z * z / 2, true),
        R("shifted square", "0.5 * (z - 1) * (z - 1)", z => 0.5 * Sq(z - 1), true),
        R("affine", "3 * z - 2", z => 3 * z - 2, true),
        R("constant", "7", _ => 7, true),
        // f″ = 2 − 2z/(1 + z²)²; max of z/(1 + z²)² is 9/(16√3) ≈ 0.3248 at z = 1/√3, so f″ ≥ 1.35.
        R("z² + atan z", "z * z + Math.Atan(z)", z => z * z + Math.Atan(z), true),
        // f″ = 2 − 6z/(1 + z²)² ≥ 2 − 6·0.3248 ≈ 0.051 > 0: convex, by a small margin.
        R("z² + 3 atan z (barely convex)", "z * z + 3 * Math.Atan(z)", z => z * z + 3 * Math.Atan(z), true),
        R("exp(z) + exp(-z)", "Math.Exp(z) + Math.Exp(-z)", z => 2 * Math.Cosh(z), true),
        R("one-sided square", "z <= 0 ? 0 : z * z", z => z > 0 ? z * z : 0, true),                      // C¹ at 0
        // continuous at 0, slopes −1 then +1 (increasing), both pieces convex
        R("kink up: -z | z² + z", "z <= 0 ? -z : z * z + z", z => z > 0 ? z * (z + 1) : -z, true),
        R("hinge", "Math.Max(0, 1 - z)", z => z < 1 ? 1 - z : 0, true),
        R("squared hinge", "Math.Pow(Math.Max(0, 1 - z), 2)", z => z < 1 ? Sq(1 - z) : 0, true),
        R("sqrt(1 + z²) + |z|", "Math.Sqrt(1 + z * z) + Math.Abs(z)", z => Math.Sqrt(1 + z * z) + Math.Abs(z), true),
        R("|z - 1| + |z + 1|", "Math.Abs(z - 1) + Math.Abs(z + 1)", z => Math.Max(2, 2 * Math.Abs(z)), true),
        R("max(|z|, 2|z| - 1)", "Math.Max(Math.Abs(z), 2 * Math.Abs(z) - 1)", z => Math.Abs(z) <= 1 ? Math.Abs(z) : 2 * Math.Abs(z) - 1, true),
        R("softplus(z) + softplus(-z)", "Math.Log(1 + Math.Exp(z)) + Math.Log(1 + Math.Exp(-z))", z => Softplus(z) + Softplus(-z), true),
        R("exp |z|", "Math.Exp(Math.Abs(z))", z => Math.Exp(Math.Abs(z)), true),                       // exp non-decreasing convex ∘ convex
        R("z sinh z", "z * Math.Sinh(z)", z => z * 0.5 * (Math.Exp(z) - Math.Exp(-z)), true),          // f″ = 2 cosh z + z sinh z > 0
        R("cosh z - 1 - z²/2", "Math.Cosh(z) - 1 - 0.5 * z * z", z => Math.Cosh(z) - 1 - z * z / 2, true), // f″ = cosh z − 1 ≥ 0
        R("z^6", "z * z * z * z * z * z", z => Math.Pow(z, 6), true),
        R("Pow(z, 2)", "Math.Pow(z, 2)", z => z * z, true),
        R("Pow(z, 4)", "Math.Pow(z, 4)", z => Sq(Sq(z)), true),
        R("relu²", "Math.Max(z, 0) * Math.Max(z, 0)", z => z > 0 ? z * z : 0, true),
        R("min(z, 0)²", "Math.Min(z, 0) * Math.Min(z, 0)", z => z < 0 ? z * z : 0, true),              // = max(−z, 0)²
        // C¹ at |z| = 1 (value 1, slope 2 on both sides), convex pieces
        R("square then 2|z| - 1", "Math.Abs(z) <= 1 ? z * z : 2 * Math.Abs(z) - 1", z => Math.Abs(z) <= 1 ? z * z : 2 * Math.Abs(z) - 1, true),
        R("z atan z", "z * Math.Atan(z)", z => z * Math.Atan(z), true),                                 // f″ = 2/(1 + z²)²
        R("log(e^z + e^2z)", "Math.Log(Math.Exp(z) + Math.Exp(2 * z))", z => z + Softplus(z), true),  // log-sum-exp of affine
        R("sqrt(1 + z⁴)", "Math.Sqrt(z * z * z * z + 1)", z => Math.Sqrt(1 + Math.Pow(z, 4)), true),  // ‖(1, z²)‖₂, z² ≥ 0 convex
        R("z²/2 - softplus", "0.5 * z * z - Math.Log(1 + Math.Exp(z))", z => z * z / 2 - Softplus(z), true), // f″ = 1 − σ(1 − σ) ≥ 3/4
        R("z² - log cosh", "z * z - Math.Log(Math.Cosh(z))", z => z * z - LogCosh(z), true),           // f″ = 2 − sech² ≥ 1

        // ───────────── convex on s ≥ 0 (isotropic h) ─────────────
        H("iso s²", "s * s", s => s * s, true),
        H("iso s - Eps log(Eps + s)", "s - Eps * Math.Log(Eps + s)", s => s - 0.5 * Math.Log(0.5 + s), true), // h″ = ε/(ε + s)²
        H("iso exp", "Math.Exp(s)", s => Math.Exp(s), true),
        // clipping: value ε²/2 and slope ε on both sides of s = ε
        H("iso clip", "s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps", s => s <= 0.5 ? s * s / 2 : 0.5 * s - 0.125, true),
        H("iso s² then 2s - 1", "s <= 1 ? s * s : 2 * s - 1", s => s <= 1 ? s * s : 2 * s - 1, true),   // C¹ continuation
        H("iso s", "s", s => s, true),
        H("iso s + s²/2", "s + 0.5 * s * s", s => s + s * s / 2, true),
        H("iso sqrt(1 + s²)", "Math.Sqrt(1 + s * s)", s => Math.Sqrt(1 + s * s), true),
        H("iso s³", "s * s * s", s => s * s * s, true),                                                // h″ = 6s ≥ 0 on s ≥ 0
        H("iso s^1.5", "Math.Pow(s, 1.5)", s => s * Math.Sqrt(s), true),
        H("iso s - log(1 + s)", "s - Math.Log(1 + s)", s => s - Math.Log(1 + s), true),                 // h″ = 1/(1 + s)²
        H("iso cosh", "Math.Cosh(s)", s => 0.5 * (Math.Exp(s) + Math.Exp(-s)), true),
        H("iso max(s - 1, 0)", "Math.Max(s - 1, 0)", s => s > 1 ? s - 1 : 0, true),
        H("iso softplus", "Math.Log(1 + Math.Exp(s))", Softplus, true),

        // ───────────── not convex on ℝ ─────────────
        R("double well z⁴ - z²", "z * z * z * z - z * z", z => Sq(Sq(z)) - Sq(z), false),              // f″(0) = −2
        R("-z²", "-z * z", z => -(z * z), false),
        R("log(1 + z²)", "Math.Log(1 + z * z)", z => Math.Log(1 + z * z), false),                       // f″ = 2(1 − z²)/(1 + z²)²
        R("sqrt |z|", "Math.Sqrt(Math.Abs(z))", z => Math.Pow(Math.Abs(z), 0.5), false),
        R("|z|^0.5", "Math.Pow(Math.Abs(z), 0.5)", z => Math.Sqrt(Math.Abs(z)), false),
        R("z tanh z", "z * Math.Tanh(z)", z => z * Math.Tanh(z), false),                                // f″ = 2 sech²(1 − z tanh z) < 0 for z > 1.2
        R("tanh", "Math.Tanh(z)", z => Math.Tanh(z), false),
        R("atan", "Math.Atan(z)", z => Math.Atan(z), false),
        R("-|z|", "-Math.Abs(z)", z => -Math.Abs(z), false),
        R("min(z, 0)", "Math.Min(z, 0)", z => z < 0 ? z : 0, false),                                    // concave, not affine
        R("truncated square min(z², 1)", "Math.Min(z * z, 1)", z => Math.Abs(z) < 1 ? z * z : 1, false),
        R("cube", "z * z * z", z => Math.Pow(z, 3), false),
        R("z² + 4 atan z", "z * z + 4 * Math.Atan(z)", z => z * z + 4 * Math.Atan(z), false),          // f″(1/√3) = 2 − 8·0.3248 < 0
        R("z² + 3.2 atan z (barely non-convex)", "z * z + 3.2 * Math.Atan(z)", z => z * z + 3.2 * Math.Atan(z), false), // 2 − 6.4·0.3248 ≈ −0.078
        R("gaussian", "Math.Exp(-z * z)", z => Math.Exp(-(z * z)), false),                              // f″(0) = −2
        R("1/(1 + z²)", "1 / (1 + z * z)", z => 1.0 / (1.0 + z * z), false),                            // f″(0) = −2
        R("sign", "Math.Sign(z)", z => z > 0 ? 1 : z < 0 ? -1 : 0, false),                             // jump: f(½) = 1 > (f(0) + f(1))/2
        R("upward jump at 1", "z < 1 ? 0.5 * z * z : z * z", z => z < 1 ? z * z / 2 : z * z, false),  // discontinuous
        R("downward jump at 0", "z < 0 ? z * z + 1 : z * z", z => z < 0 ? z * z + 1 : z * z, false),  // discontinuous
        R("square then |z| (slope 2 → 1)", "Math.Abs(z) <= 1 ? z * z : Math.Abs(z)", z => Math.Abs(z) <= 1 ? z * z : Math.Abs(z), false),
        R("log(1 + |z|)", "Math.Log(Math.Abs(z) + 1)", z => Math.Log(1 + Math.Abs(z)), false),
        R("sqrt(1 + |z|)", "Math.Sqrt(1 + Math.Abs(z))", z => Math.Sqrt(1 + Math.Abs(z)), false),
        R("z² - 2|z|", "z * z - 2 * Math.Abs(z)", z => Math.Abs(z) * (Math.Abs(z) - 2), false),         // f(0) = 0 > f(±1) = −1
        R("||z| - 1|", "Math.Abs(Math.Abs(z) - 1)", z => Math.Abs(Math.Abs(z) - 1), false),
        R("exp(-|z|)", "Math.Exp(-Math.Abs(z))", z => Math.Exp(-Math.Abs(z)), false),
        R("cosh z - z²", "Math.Cosh(z) - z * z", z => Math.Cosh(z) - z * z, false),                      // f″(0) = −1
        R("z⁴ - 3z³", "z * z * z * z - 3 * z * z * z", z => Math.Pow(z, 4) - 3 * Math.Pow(z, 3), false), // f″ = 12z² − 18z
        R("log cosh - z²/2", "Math.Log(Math.Cosh(z)) - 0.5 * z * z", z => LogCosh(z) - z * z / 2, false), // f″ = sech² − 1
        R("softplus - 0.2 z²", "Math.Log(1 + Math.Exp(z)) - 0.2 * z * z", z => Softplus(z) - 0.2 * z * z, false), // f″ ≤ 1/4 − 0.4
        R("sqrt(1 + z²) - |z|/2", "Math.Sqrt(1 + z * z) - 0.5 * Math.Abs(z)", z => Math.Sqrt(1 + z * z) - Math.Abs(z) / 2, false), // slope drops at 0
        R("min(|z|, 1)", "Math.Min(Math.Abs(z), 1)", z => Math.Abs(z) < 1 ? Math.Abs(z) : 1, false),
        R("clamp to [0, 1]", "Math.Max(z, 0) - Math.Max(z - 1, 0)", z => z <= 0 ? 0 : z >= 1 ? 1 : z, false),
        R("tanh²", "Math.Tanh(z) * Math.Tanh(z)", z => Sq(Math.Tanh(z)), false),                        // bounded, not constant
        R("atan²", "Math.Atan(z) * Math.Atan(z)", z => Sq(Math.Atan(z)), false),                        // bounded, not constant
        R("z|z|", "z * Math.Abs(z)", z => z < 0 ? -(z * z) : z * z, false),                             // −z² on z < 0
        R("|z|^0.8", "Math.Pow(Math.Abs(z), 0.8)", z => Math.Exp(0.8 * Math.Log(Math.Abs(z))), false),
        R("exp z - 2z²", "Math.Exp(z) - 2 * z * z", z => Math.Exp(z) - 2 * z * z, false),               // f″(0) = −3
        R("sinh", "Math.Sinh(z)", z => 0.5 * (Math.Exp(z) - Math.Exp(-z)), false),                     // concave on z < 0
        R("min of two parabolas", "Math.Min((z - 1) * (z - 1), (z + 1) * (z + 1))", z => Sq(Math.Abs(z) - 1), false),
        R("kink down: z | z/2", "z > 0 ? 0.5 * z : z", z => z > 0 ? z / 2 : z, false),                   // slope 1 → ½

        // ───────────── not convex on s ≥ 0 (isotropic h) ─────────────
        H("iso sqrt", "Math.Sqrt(s)", s => Math.Pow(s, 0.5), false),
        H("iso -s²", "-s * s", s => -(s * s), false),
        H("iso s² then s (slope 2 → 1)", "s <= 1 ? s * s : s", s => s <= 1 ? s * s : s, false),
        H("iso log(1 + s)", "Math.Log(1 + s)", s => Math.Log(1 + s), false),
        H("iso log(1 + s²)", "Math.Log(1 + s * s)", s => Math.Log(1 + s * s), false),                   // h″ < 0 for s > 1
        H("iso s⁴ - s²", "s * s * s * s - s * s", s => Sq(Sq(s)) - Sq(s), false),                       // h″ = 12s² − 2 < 0 near 0
        H("iso min(s, 1)", "Math.Min(s, 1)", s => s < 1 ? s : 1, false),
        H("iso 1 - exp(-s)", "1 - Math.Exp(-s)", s => 1 - 1 / Math.Exp(s), false),
        H("iso atan", "Math.Atan(s)", s => Math.Atan(s), false),
        H("iso tanh", "Math.Tanh(s)", s => Math.Tanh(s), false),
        H("iso s/(Eps + s)", "s / (Eps + s)", s => s / (0.5 + s), false),
        H("iso s³ - 2s²", "s * s * s - 2 * s * s", s => s * s * (s - 2), false),                          // h″ = 6s − 4 < 0 on [0, 2/3)
        H("iso s tanh s", "s * Math.Tanh(s)", s => s * Math.Tanh(s), false),                             // h″ < 0 for s > 1.2
    };

    private static readonly Lazy<IReadOnlyList<Result>> LazyResults = new(Analyse);

    private static IReadOnlyList<Result> Results => LazyResults.Value;

    private static IReadOnlyList<Result> Analyse()
    {
        // Warm-up: JIT, Roslyn and reference loading, so the timed calls measure the analysis.
        AnalysisHarness.Report(AnalysisHarness.Potential("0.5 * z * z"));
        var results = new List<Result>();
        foreach (var c in Cases)
        {
            var watch = Stopwatch.StartNew();
            FormulaReport? report = null;
            Exception? error = null;
            try
            {
                report = AnalysisHarness.Report(c.Source);
            }
            catch (Exception e)
            {
                error = e;
            }
            watch.Stop();
            results.Add(new Result(c, report, error, watch.Elapsed));
        }
        return results;
    }

    private static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Re-evaluates a witness with the case's own function; null when it holds, else why not.</summary>
    private static string? CheckWitness(Case c, ConvexityWitness? w)
    {
        if (w is null)
        {
            return "refuted without a witness";
        }
        if (!c.Contains(w.A) || !c.Contains(w.B))
        {
            return $"witness ({Fmt(w.A)}, {Fmt(w.B)}) is outside {c.DomainText}";
        }
        if (w.A == w.B)
        {
            return $"witness points coincide ({Fmt(w.A)})";
        }
        var m = 0.5 * (w.A + w.B);
        var fa = c.F(w.A);
        var fb = c.F(w.B);
        var fm = c.F(m);
        var gap = fm - 0.5 * (fa + fb);
        var margin = 1e-12 * (Math.Abs(fa) + Math.Abs(fb) + Math.Abs(fm));
        // !(gap > margin) also catches NaN.
        return gap > margin
            ? null
            : $"witness ({Fmt(w.A)}, {Fmt(w.B)}) does not hold: f(m = {Fmt(m)}) = {Fmt(fm)}, (f(a) + f(b))/2 = {Fmt(0.5 * (fa + fb))}, gap {Fmt(gap)} ≤ margin {Fmt(margin)}";
    }

    private string SummaryTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"label",-12} {"domain",-7} {"total",6} {"Proven",7} {"Refuted",8} {"Undecided",10} {"Error",6}");
        foreach (var convex in new[] { true, false })
        {
            foreach (var domain in new[] { Domain.Reals, Domain.HalfLine, (Domain?)null })
            {
                var rows = Results.Where(r => r.Case.Convex == convex && (domain is null || r.Case.Domain == domain)).ToList();
                var domainText = domain switch { Domain.Reals => "ℝ", Domain.HalfLine => "s ≥ 0", _ => "all" };
                sb.AppendLine($"{(convex ? "convex" : "non-convex"),-12} {domainText,-7} {rows.Count,6} "
                              + $"{rows.Count(r => r.Outcome == Outcome.Proven),7} {rows.Count(r => r.Outcome == Outcome.Refuted),8} "
                              + $"{rows.Count(r => r.Outcome == Outcome.Undecided),10} {rows.Count(r => r.Error is not null),6}");
            }
        }
        var slowest = Results.OrderByDescending(r => r.Elapsed).First();
        sb.AppendLine($"total analysis time {Results.Sum(r => r.Elapsed.TotalSeconds):F2} s; slowest {slowest.Case.Name} {slowest.Elapsed.TotalMilliseconds:F0} ms");
        return sb.ToString();
    }

    // ───────────── the battery itself ─────────────

    [Fact]
    public void Battery_HasEnoughLabelledFormulas()
    {
        Assert.True(Cases.Count >= 70, $"{Cases.Count} formulas, want ≥ 70");
        Assert.True(Cases.Count(c => c.Convex) >= 35, $"{Cases.Count(c => c.Convex)} convex, want ≥ 35");
        Assert.True(Cases.Count(c => !c.Convex) >= 30, $"{Cases.Count(c => !c.Convex)} non-convex, want ≥ 30");
        var duplicates = Cases.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicate names: " + string.Join(", ", duplicates));
        var sameFormula = Cases.GroupBy(c => (c.Expression, c.Domain)).Where(g => g.Count() > 1).Select(g => g.Key.Expression).ToList();
        Assert.True(sameFormula.Count == 0, "duplicate formulas: " + string.Join(", ", sameFormula));
    }

    /// <summary>
    /// Each test-side function agrees with the C# expression, compiled and run here, so a witness checked
    /// against the function is checked against the formula the analysis saw.
    /// </summary>
    [Fact]
    public void Battery_FunctionsMatchTheirExpressions()
    {
        var source = new StringBuilder("using System;\npublic static class BatteryFormulas\n{\n    private const double Eps = 0.5;\n    private const double Delta = 1.0;\n");
        for (var i = 0; i < Cases.Count; i++)
        {
            var variable = Cases[i].Domain == Domain.HalfLine ? "s" : "z";
            source.AppendLine($"    public static double F{i}(double {variable}) => {Cases[i].Expression};");
        }
        source.AppendLine("}");
        var compilation = CSharpCompilation.Create(
            "BatteryFormulas",
            new[] { CSharpSyntaxTree.ParseText(source.ToString(), GeneratorHarness.ParseOptions) },
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "the expressions do not compile: " + string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var type = Assembly.Load(image.ToArray()).GetType("BatteryFormulas")!;

        var mismatches = new List<string>();
        for (var i = 0; i < Cases.Count; i++)
        {
            var c = Cases[i];
            var compiled = type.GetMethod("F" + i)!.CreateDelegate<Func<double, double>>();
            foreach (var x in SamplePoints(c.Domain))
            {
                var expected = compiled(x);
                var actual = c.F(x);
                var same = expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected));
                if (!same)
                {
                    mismatches.Add($"{c.Name} at {Fmt(x)}: expression {Fmt(expected)}, function {Fmt(actual)}");
                    break;
                }
            }
        }
        Assert.True(mismatches.Count == 0, "test functions differ from their expressions:\n" + string.Join("\n", mismatches));
    }

    /// <summary>
    /// The labels against plain numerics on the test-side functions: no midpoint violation on a grid for a
    /// convex label, at least one for a non-convex label. Independent of the checker.
    /// </summary>
    [Fact]
    public void Battery_LabelsAgreeWithMidpointNumerics()
    {
        var wrong = new List<string>();
        foreach (var c in Cases)
        {
            var worst = (Gap: double.NegativeInfinity, A: double.NaN, B: double.NaN);
            foreach (var (a, b) in GridPairs(c.Domain))
            {
                var fa = c.F(a);
                var fb = c.F(b);
                var fm = c.F(0.5 * (a + b));
                var gap = fm - 0.5 * (fa + fb) - (1e-9 * (Math.Abs(fa) + Math.Abs(fb) + Math.Abs(fm)) + 1e-12);
                if (gap > worst.Gap)
                {
                    worst = (gap, a, b);
                }
            }
            var violated = worst.Gap > 0;
            if (violated == c.Convex)
            {
                wrong.Add(c.Convex
                    ? $"{c.Name}: labelled convex, but midpoint violation at ({Fmt(worst.A)}, {Fmt(worst.B)})"
                    : $"{c.Name}: labelled non-convex, but no midpoint violation on the grid");
            }
        }
        Assert.True(wrong.Count == 0, "battery labels disagree with numerics:\n" + string.Join("\n", wrong));
    }

    private static IEnumerable<double> SamplePoints(Domain domain)
    {
        var lo = domain == Domain.HalfLine ? 0.0 : -6.0;
        for (var k = 0; lo + 0.25 * k <= 6.0; k++)
        {
            yield return lo + 0.25 * k;
        }
        foreach (var x in new[] { 1e-3, 0.1, 0.3, 0.5, 0.7, 0.999, 1.001, 1.7, 3.3 })
        {
            yield return x;
            if (domain == Domain.Reals)
            {
                yield return -x;
            }
        }
    }

    private static IEnumerable<(double A, double B)> GridPairs(Domain domain)
    {
        var lo = domain == Domain.HalfLine ? 0.0 : -8.0;
        var steps = new[] { 1e-3, 1e-2, 0.05, 0.1, 0.25, 0.5, 1, 2, 4 };
        for (var k = 0; lo + 0.05 * k <= 8.0; k++)
        {
            var center = lo + 0.05 * k;
            foreach (var h in steps)
            {
                if (center - h >= lo)
                {
                    yield return (center - h, center + h);
                }
            }
        }
    }

    // ───────────── the checker ─────────────

    [Fact]
    public void EveryFormulaIsAnalysed()
    {
        _output.WriteLine(SummaryTable());
        var errors = Results.Where(r => r.Error is not null).Select(r => r.Describe()).ToList();
        Assert.True(errors.Count == 0, "the analysis threw on:\n" + string.Join("\n", errors));
    }

    /// <summary>The hard requirement: "Proven" is never said of a formula that is not convex.</summary>
    [Fact]
    public void Soundness_NoNonConvexFormulaIsProvenConvex()
    {
        _output.WriteLine(SummaryTable());
        var offenders = Results.Where(r => !r.Case.Convex && r.Outcome == Outcome.Proven).Select(r => r.Describe()).ToList();
        Assert.True(offenders.Count == 0, $"UNSOUND: {offenders.Count} non-convex formula(s) reported Proven convex:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void ConvexFormulas_AreNeverRefuted_AndMostlyProven()
    {
        _output.WriteLine(SummaryTable());
        var convex = Results.Where(r => r.Case.Convex).ToList();

        var refuted = convex.Where(r => r.Outcome == Outcome.Refuted)
            .Select(r => r.Describe() + "\n      witness: " + (r.Report!.Witness is { } w
                ? $"({Fmt(w.A)}, {Fmt(w.B)}); re-evaluated: {CheckWitness(r.Case, w) ?? "holds (then the label would be wrong)"}"
                : "none"))
            .ToList();
        Assert.True(refuted.Count == 0, $"{refuted.Count} convex formula(s) reported Refuted (a wrong witness):\n" + string.Join("\n", refuted));

        var notProven = convex.Where(r => r.Outcome != Outcome.Proven).ToList();
        var share = 1.0 - (double)notProven.Count / convex.Count;
        foreach (var r in notProven)
        {
            _output.WriteLine("not proven: " + r.Describe());
        }
        Assert.True(share >= RequiredShare,
            $"{convex.Count - notProven.Count}/{convex.Count} convex formulas proven ({share:P1}), want ≥ {RequiredShare:P0}; not proven:\n"
            + string.Join("\n", notProven.Select(r => r.Describe())));
    }

    [Fact]
    public void NonConvexFormulas_AreMostlyRefuted_WithWitnessesThatHold()
    {
        _output.WriteLine(SummaryTable());
        var nonConvex = Results.Where(r => !r.Case.Convex).ToList();

        var badWitnesses = nonConvex.Where(r => r.Outcome == Outcome.Refuted)
            .Select(r => (Result: r, Problem: CheckWitness(r.Case, r.Report!.Witness)))
            .Where(p => p.Problem is not null)
            .Select(p => p.Result.Describe() + "\n      " + p.Problem)
            .ToList();
        Assert.True(badWitnesses.Count == 0, $"{badWitnesses.Count} refutation(s) with a witness that does not hold:\n" + string.Join("\n", badWitnesses));

        var notRefuted = nonConvex.Where(r => r.Outcome != Outcome.Refuted).ToList();
        var share = 1.0 - (double)notRefuted.Count / nonConvex.Count;
        foreach (var r in notRefuted)
        {
            _output.WriteLine("not refuted: " + r.Describe());
        }
        Assert.True(share >= RequiredShare,
            $"{nonConvex.Count - notRefuted.Count}/{nonConvex.Count} non-convex formulas refuted ({share:P1}), want ≥ {RequiredShare:P0}; not refuted:\n"
            + string.Join("\n", notRefuted.Select(r => r.Describe())));
    }

    [Theory]
    [InlineData("Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z))", false)]
    [InlineData("Math.Sqrt(1 + z * z)", false)]
    [InlineData("s - Eps * Math.Log(Eps + s)", true)]
    public void NamedFormulas_AreProvenConvex(string expression, bool isotropic)
    {
        var domain = isotropic ? Domain.HalfLine : Domain.Reals;
        var result = Results.SingleOrDefault(r => r.Case.Expression == expression && r.Case.Domain == domain);
        Assert.True(result is not null, $"`{expression}` is not in the battery");
        Assert.True(result!.Case.Convex, $"`{expression}` is labelled non-convex");
        Assert.True(result.Outcome == Outcome.Proven, "not proven convex:\n" + result.Describe());
    }

    /// <summary>
    /// A guard against runaway searches, not a benchmark: each Report call (after a warm-up call) finishes
    /// within <see cref="PerFormulaLimit"/>.
    /// </summary>
    [Fact]
    public void EachAnalysis_FinishesWithinTheTimeLimit()
    {
        var slow = Results.Where(r => r.Elapsed > PerFormulaLimit).OrderByDescending(r => r.Elapsed).Select(r => r.Describe()).ToList();
        foreach (var r in Results.OrderByDescending(r => r.Elapsed).Take(5))
        {
            _output.WriteLine($"{r.Elapsed.TotalMilliseconds,8:F0} ms  {r.Case.Name}");
        }
        Assert.True(slow.Count == 0, $"{slow.Count} analyses took longer than {PerFormulaLimit.TotalSeconds} s:\n" + string.Join("\n", slow));
    }
}
