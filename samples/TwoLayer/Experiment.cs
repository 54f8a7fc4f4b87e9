using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DslOptim;
using DslOptim.TwoLayer.Theory;

namespace TwoLayer;

/// <summary>§4 (Figs. 1, 2) and Appendix G (Figs. 3, 4) of the local-PL paper, on the generated two-layer GD step.</summary>
public static class Experiment
{
    public const int ExitSuccess = 0;
    public const int ExitUsage = 2;
    public const int ExitFailure = 1;

    /// <summary>Theorem E.1's parameters in the paper's experiments (§4): c = 0.5, d = 1.01. The cap of eq. (19) is
    /// (1 + η0^d)^{t/2}η0 with this d (the printed (15)/(19) have d = 2, i.e. η0²; Theorem E.1 allows any d &gt; 1).</summary>
    public const double C = 0.5, D = 1.01;

    public const string Fig1Summary = "fig1-summary.csv", Fig1Curves = "fig1-curves.csv";
    public const string Fig2Summary = "fig2-summary.csv", Fig2Curves = "fig2-curves.csv";
    public const string Fig3Table = "fig3-kappa.csv";
    public const string Fig4Summary = "fig4-summary.csv", Fig4Curves = "fig4-curves.csv";
    public const string Fig2Png = "fig2-loss.png", Fig2EtaPng = "fig2-step-size.png", Fig3Png = "fig3-kappa.png", Fig3AlphaPng = "fig3-alpha-ratio.png", Fig4Png = "fig4-over-vs-non.png";

    public static string Fig1Png(int h, double sigma) => string.Create(CultureInfo.InvariantCulture, $"fig1-h{h}-sigma{sigma:G4}.png");

    public static int Run(string[] args, TextWriter output, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        error ??= Console.Error;
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            Options o;
            try
            {
                o = Options.Parse(args);
            }
            catch (OptionsException e)
            {
                error.WriteLine("error: " + e.Message);
                error.WriteLine("Run with --help for the options.");
                return ExitUsage;
            }
            if (o.Help)
            {
                output.WriteLine(Options.Usage);
                return ExitSuccess;
            }
            string folder = Path.GetFullPath(o.Output);
            Directory.CreateDirectory(folder);
            var clock = Stopwatch.StartNew();
            void Progress(string what)
            {
                output.WriteLine($"[{clock.Elapsed:mm\\:ss}] {what}");
                output.Flush();
            }

            output.WriteLine($"Two-layer linear networks (local-PL paper §4, App. G): repeats {o.Repeats}, steps {o.Steps}, seed {o.Seed}, threads {o.Threads}; output {folder}");
            output.WriteLine($"Theorem E.1 with c = {C}, d = {D}; η0 = η_max; eq. (19)'s cap (1 + η0^d)^(t/2)·η0 uses the same d.");
            Figure1(o, folder, output, Progress);
            Figure2(o, folder, output, Progress);
            Figure3(o, folder, output, Progress);
            Figure4(o, folder, output, Progress);
            output.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s; PNGs and CSVs in {folder}");
            return ExitSuccess;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine("error: " + e.Message);
            return ExitFailure;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static int SeedOf(Options o, int figure, int setting, int repeat) => unchecked((o.Seed * 1_000_003) + (figure * 100_003) + (setting * 1009) + repeat);

    private static double[] Steps(int count) => Enumerable.Range(0, count).Select(t => (double)t).ToArray();

    private static double Last(double[] a) => a[^1];

    private static void Figure1(Options o, string folder, TextWriter output, Action<string> progress)
    {
        var summary = new Table("h", "sigma", "alpha1/alpha2", "eta_max", "binding", "rho_bar0", "cap_steps_rho", "min_invK_over_cap",
            "log10_L0", "t_star", "log10_L_rho", "log10_L_rho_bar", "log10_bound20_rho", "log10_bound20_rho_bar", "log10_bound17");
        var curves = new Table("h", "sigma", "series", "t", "mean_log10", "std_log10");
        int setting = 0;
        foreach (int h in o.Widths)
        {
            foreach (double sigma in o.Sigmas)
            {
                progress($"Fig. 1: h = {h}, σ = {sigma}, {o.Repeats} repeat(s) × 2 rules × {o.Steps} steps");
                var series = new Dictionary<string, List<double[]>>();
                void Add(string key, double[] v)
                {
                    if (!series.TryGetValue(key, out var list))
                    {
                        series[key] = list = [];
                    }
                    list.Add(v);
                }
                double ratio = 0, etaMax = 0, rhoBar0 = 0, capSteps = 0, minRatio = double.PositiveInfinity;
                string binding = "";
                for (int r = 0; r < o.Repeats; r++)
                {
                    var s = Setting.Section4(new Draw(SeedOf(o, 1, setting, r)), 10, h, 1.0, sigma * sigma);
                    var rate = Trainer.Theory(s, C, D);
                    var rho = Trainer.Run(s, rate.AdaptiveRule(), o.Steps, o.Threads);
                    var bar = Trainer.Run(s, rate.AdaptiveBarRule(), o.Steps, o.Threads, rate);
                    var b20rho = new double[o.Steps + 1];
                    var b20bar = new double[o.Steps + 1];
                    var b17 = new double[o.Steps + 1];
                    TwoLayerRateBound.Bound20(rho.Loss[0], rho.Factor, b20rho);
                    TwoLayerRateBound.Bound20(bar.Loss[0], bar.Factor, b20bar);
                    rate.Bound17(b17);
                    Add("L (eq. 19 with h = ρ)", Stats.Log10(rho.Loss));
                    Add("L (eq. 19 with h = ρ̄)", Stats.Log10(bar.Loss));
                    Add("bound (20) with h = ρ", Stats.Log10(b20rho));
                    Add("bound (20) with h = ρ̄", Stats.Log10(b20bar));
                    Add("bound (17)", Stats.Log10(b17));
                    var limit = rate.Limit;
                    ratio += limit.Alpha1 / limit.Alpha2 / o.Repeats;
                    etaMax += limit.EtaMax / o.Repeats;
                    rhoBar0 += rate.RhoBar0 / o.Repeats;
                    capSteps += (double)rho.CapSteps / o.Repeats;
                    minRatio = Math.Min(minRatio, rho.MinInverseKOverCap);
                    binding = limit.Binding.ToString();
                }
                var bands = new List<Plots.Band>();
                var stats = series.ToDictionary(kv => kv.Key, kv => Stats.MeanStd(kv.Value));
                foreach (var (key, (mean, std)) in stats)
                {
                    bool bound = key.StartsWith("bound", StringComparison.Ordinal);
                    bands.Add(new Plots.Band(key, Steps(mean.Length), mean, bound ? null : std, Triangles: bound));
                    for (int t = 0; t < mean.Length; t++)
                    {
                        curves.Add(h, sigma, key, t, mean[t], std[t]);
                    }
                }
                // Crop the view where the loss reaches its rounding floor (~1e-27): past it only the bounds keep falling.
                var lossMean = stats["L (eq. 19 with h = ρ)"].Mean;
                double floor = lossMean.Min();
                int atFloor = Array.FindIndex(lossMean, v => v <= floor + 1);
                double? xMax = atFloor > 0 && atFloor < lossMean.Length / 2 ? 1.5 * atFloor : null;
                Plots.Curves(Path.Combine(folder, Fig1Png(h, sigma)), $"Fig. 1 — h = {h}, σ = {sigma}: L(t) and the bounds (17), (20) (mean ± std of log₁₀, {o.Repeats} repeats)",
                    "iteration t", "log₁₀ L(t)", bands, yMin: floor - 3, xMax: xMax);
                // Compare at t* = the first t where the mean log10 L(t) (h = ρ) is 10 decades below L(0), or T: beyond it
                // the loss sits at its rounding floor (~1e-27 here) while the bounds keep falling.
                var lossRho = stats["L (eq. 19 with h = ρ)"].Mean;
                int tStar = Array.FindIndex(lossRho, v => v <= lossRho[0] - 10);
                tStar = tStar < 0 ? lossRho.Length - 1 : tStar;
                summary.Add(h, sigma, ratio, etaMax, binding, rhoBar0, capSteps, minRatio, lossRho[0], tStar,
                    lossRho[tStar], stats["L (eq. 19 with h = ρ̄)"].Mean[tStar], stats["bound (20) with h = ρ"].Mean[tStar],
                    stats["bound (20) with h = ρ̄"].Mean[tStar], stats["bound (17)"].Mean[tStar]);
                setting++;
            }
        }
        output.WriteLine();
        output.WriteLine($"Fig. 1 — L(t) against the bounds (17) and (20), means of log10 over repeats at t* = the first t with L(t) ≤ 1e-10·L(0), else T = {o.Steps}; cap_steps_rho: steps (of {o.Steps}) where the cap set η_t; min_invK_over_cap: min over the run of (1/K_t)/cap");
        summary.Print(output);
        summary.WriteCsv(Path.Combine(folder, Fig1Summary));
        curves.WriteCsv(Path.Combine(folder, Fig1Curves));
    }

    private static void Figure2(Options o, string folder, TextWriter output, Action<string> progress)
    {
        var summary = new Table("h", "sigma", "method", "log10_L0", "log10_L_T", "mean_eta", "steps_to_1e-10", "eta_max_setup_ms", "steps_ms", "total_ms", "ms_to_1e-10", "extra_trials");
        var curves = new Table("h", "sigma", "method", "t", "mean_log10_L", "std_log10_L", "mean_eta");
        var lossBands = new List<Plots.Band>();
        var etaBands = new List<Plots.Band>();
        var settings = o.Fig2Settings;
        int index = 0;
        foreach (var (h, sigma) in settings)
        {
            progress($"Fig. 2: h = {h}, σ = {sigma}, {o.Repeats} repeat(s) × 3 methods × {o.Steps} steps");
            var methods = new[] { "eq. (19) with h = ρ", "constant η0 = η_max", "backtracking" };
            var losses = methods.ToDictionary(m => m, _ => new List<double[]>());
            var etas = methods.ToDictionary(m => m, _ => new List<double[]>());
            var stepsSeconds = methods.ToDictionary(m => m, _ => 0.0);
            var extra = methods.ToDictionary(m => m, _ => 0L);
            var reach = methods.ToDictionary(m => m, _ => new List<int>());
            double setupSeconds = 0;
            for (int r = 0; r < o.Repeats; r++)
            {
                var s = Setting.Section4(new Draw(SeedOf(o, 2, index, r)), 10, h, 1.0, sigma * sigma);
                var setup = Stopwatch.StartNew();
                var rate = Trainer.Theory(s, C, D);
                setupSeconds += setup.Elapsed.TotalSeconds;
                var rules = new TwoLayerStepSize[]
                {
                    rate.AdaptiveRule(),
                    TwoLayerStepSize.Constant(rate.Eta0),
                    // Alg. 1 with the paper's τ = 0.1, γ = 0.9 (Armijo form with η, see docs/two-layer.md); η_bt = 1.
                    TwoLayerStepSize.Backtracking(new BacktrackingOptions(1.0, 0.1, 0.9, 40)),
                };
                for (int k = 0; k < methods.Length; k++)
                {
                    var trace = Trainer.Run(s, rules[k], o.Steps, o.Threads);
                    losses[methods[k]].Add(Stats.Log10(trace.Loss));
                    etas[methods[k]].Add(trace.Eta);
                    stepsSeconds[methods[k]] += trace.Seconds;
                    extra[methods[k]] += trace.Reductions;
                    int hit = Array.FindIndex(trace.Loss, v => v <= 1e-10 * trace.Loss[0]);
                    reach[methods[k]].Add(hit < 0 ? int.MaxValue : hit);
                }
            }
            foreach (var m in methods)
            {
                var (mean, std) = Stats.MeanStd(losses[m]);
                var (eta, _) = Stats.MeanStd(etas[m]);
                for (int t = 0; t < mean.Length; t++)
                {
                    curves.Add(h, sigma, m, t, mean[t], std[t], t < eta.Length ? eta[t] : double.NaN);
                }
                string label = $"{m} (h = {h}, σ = {sigma})";
                lossBands.Add(new Plots.Band(label, Steps(mean.Length), mean, std));
                etaBands.Add(new Plots.Band(label, Steps(eta.Length), Stats.Log10(eta), null));
                double setupMs = m == "backtracking" ? 0 : 1000 * setupSeconds / o.Repeats;
                double stepsMs = 1000 * stepsSeconds[m] / o.Repeats;
                // Steps to L ≤ 1e-10·L(0): the mean over repeats (NaN if a repeat never got there); its time pro rata.
                double toTarget = reach[m].Any(v => v == int.MaxValue) ? double.NaN : reach[m].Average();
                double msToTarget = setupMs + (stepsMs * toTarget / o.Steps);
                summary.Add(h, sigma, m, mean[0], Last(mean), eta.Average(), toTarget, setupMs, stepsMs, setupMs + stepsMs, msToTarget, extra[m] / o.Repeats);
            }
            index++;
        }
        Plots.Curves(Path.Combine(folder, Fig2Png), $"Fig. 2 — loss per iteration (mean ± std of log₁₀ L, {o.Repeats} repeats)", "iteration t", "log₁₀ L(t)", lossBands);
        Plots.Curves(Path.Combine(folder, Fig2EtaPng), "Fig. 2 — step size per iteration (mean over repeats)", "iteration t", "log₁₀ η_t", etaBands);
        output.WriteLine();
        output.WriteLine($"Fig. 2 — eq. (19) vs constant η0 = η_max vs backtracking (η_bt = 1, τ = 0.1, γ = 0.9), T = {o.Steps} steps; times per run in ms (η_max set-up: Table 2 + roots of (87), (88)); extra_trials: backtracking's rejected trials per run");
        summary.Print(output);
        summary.WriteCsv(Path.Combine(folder, Fig2Summary));
        curves.WriteCsv(Path.Combine(folder, Fig2Curves));
    }

    private static void Figure3(Options o, string folder, TextWriter output, Action<string> progress)
    {
        double[] ps = [0.275, 0.375, 0.475];
        var table = new Table("p", "h", "mean_kappa", "std_kappa", "mean_sigma_min_sq_over_max_sq", "mean_alpha1_over_alpha2", "repeats");
        var kappaBands = new List<Plots.Band>();
        var alphaBands = new List<Plots.Band>();
        progress($"Fig. 3: p ∈ {{{string.Join(", ", ps)}}}, h ∈ {{{string.Join(", ", o.Fig3Widths)}}}, {o.Fig3Repeats} repeats");
        foreach (double p in ps)
        {
            var kappas = new List<double>();
            var ratios = new List<double>();
            foreach (int h in o.Fig3Widths)
            {
                var k = new List<double>();
                var inv = new List<double>();
                var a = new List<double>();
                for (int r = 0; r < o.Fig3Repeats; r++)
                {
                    // The same seed for every p: the same Gaussian draws, scaled by h^{-p}.
                    var s = Setting.AppendixG1(new Draw(SeedOf(o, 3, h, r)), 10, h, p);
                    var problem = new TwoLayerProblem<double>(s.X, s.S, s.N, s.Y, s.M);
                    var workspace = new TwoLayerWorkspace<double>(problem, h, o.Threads);
                    TwoLayerCertificate c = new SquaredLossGd().Certify(problem, s.W1, s.W2, workspace);
                    k.Add(c.ConditionNumberT);
                    inv.Add(c.SigmaMinSquaredT / c.SigmaMaxSquaredT);
                    var constants = TwoLayerConstants.FromGrams(workspace.FirstGram, workspace.SecondGram, workspace.WeightProduct, s.N, s.M,
                        LeastSquares(s), c.Mu, c.K, c.Loss);
                    a.Add(constants.Alpha1 / constants.Alpha2);
                }
                double mean = k.Average();
                double std = k.Count > 1 ? Math.Sqrt(k.Sum(v => (v - mean) * (v - mean)) / (k.Count - 1)) : 0;
                table.Add(p, h, mean, std, inv.Average(), a.Average(), o.Fig3Repeats);
                kappas.Add(mean);
                ratios.Add(a.Average());
            }
            double[] hs = o.Fig3Widths.Select(h => (double)h).ToArray();
            kappaBands.Add(new Plots.Band($"p = {p}", hs, kappas.ToArray(), null));
            alphaBands.Add(new Plots.Band($"p = {p}", hs, ratios.ToArray(), null));
        }
        Plots.Curves(Path.Combine(folder, Fig3Png), $"Fig. 3 — κ(𝒯₀) = σ_max/σ_min against h, W ~ N(0, h^(−2p)) (mean of {o.Fig3Repeats})", "width h", "κ(𝒯₀)", kappaBands);
        Plots.Curves(Path.Combine(folder, Fig3AlphaPng), $"Fig. 3 (companion) — α₁/α₂ of Table 2 against h (mean of {o.Fig3Repeats})", "width h", "α₁/α₂", alphaBands);
        output.WriteLine();
        output.WriteLine("Fig. 3 — κ(𝒯₀) = σ_max(𝒯₀)/σ_min(𝒯₀) (Lemma A.2 from the Grams) and Table 2's α₁/α₂, X orthogonal 10×10, Y = XΘ + N(0, 0.1)");
        table.Print(output);
        table.WriteCsv(Path.Combine(folder, Fig3Table));
    }

    /// <summary>W* = X⁻¹Y for square invertible X (Gaussian elimination with partial pivoting).</summary>
    private static double[] LeastSquares(Setting s)
    {
        int n = s.N, m = s.M;
        var a = (double[])s.X.Clone();
        var b = (double[])s.Y.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++)
            {
                if (Math.Abs(a[(i * n) + col]) > Math.Abs(a[(pivot * n) + col]))
                {
                    pivot = i;
                }
            }
            for (int j = 0; j < n; j++)
            {
                (a[(col * n) + j], a[(pivot * n) + j]) = (a[(pivot * n) + j], a[(col * n) + j]);
            }
            for (int j = 0; j < m; j++)
            {
                (b[(col * m) + j], b[(pivot * m) + j]) = (b[(pivot * m) + j], b[(col * m) + j]);
            }
            for (int i = col + 1; i < n; i++)
            {
                double f = a[(i * n) + col] / a[(col * n) + col];
                for (int j = col; j < n; j++)
                {
                    a[(i * n) + j] -= f * a[(col * n) + j];
                }
                for (int j = 0; j < m; j++)
                {
                    b[(i * m) + j] -= f * b[(col * m) + j];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = 0; j < m; j++)
            {
                double v = b[(i * m) + j];
                for (int k = i + 1; k < n; k++)
                {
                    v -= a[(i * n) + k] * b[(k * m) + j];
                }
                b[(i * m) + j] = v / a[(i * n) + i];
            }
        }
        return b;
    }

    private static void Figure4(Options o, string folder, TextWriter output, Action<string> progress)
    {
        var summary = new Table("h", "alpha1/alpha2", "eta_max", "eta_problem1", "cap_steps", "log10_L0", "log10_l_T_problem1", "log10_L_T_problem2",
            "slope_problem1", "slope_problem2", "log10(1-mu/K)");
        var curves = new Table("h", "series", "t", "mean_log10", "std_log10");
        var bands = new List<Plots.Band>();
        int steps = o.Fig4Steps;
        foreach (int h in o.Fig4Widths)
        {
            progress($"Fig. 4: n = m = 5, h = {h}, {o.Repeats} repeat(s) × {steps} steps");
            var p1 = new List<double[]>();
            var p2 = new List<double[]>();
            double ratio = 0, etaMax = 0, eta1 = 0, capSteps = 0, rate1 = 0;
            for (int r = 0; r < o.Repeats; r++)
            {
                var s = Setting.AppendixG2(new Draw(SeedOf(o, 4, h, r)), 5, h);
                var problem = new TwoLayerProblem<double>(s.X, s.S, s.N, s.Y, s.M);
                double eta = 1.0 / problem.SigmaMaxSquared;
                p1.Add(Stats.Log10(Trainer.RunProblem1(s, eta, steps)));
                var rate = Trainer.Theory(s, C, D);
                var trace = Trainer.Run(s, rate.AdaptiveRule(), steps, o.Threads);
                p2.Add(Stats.Log10(trace.Loss));
                ratio += rate.Limit.Alpha1 / rate.Limit.Alpha2 / o.Repeats;
                etaMax += rate.Eta0 / o.Repeats;
                eta1 += eta / o.Repeats;
                capSteps += (double)trace.CapSteps / o.Repeats;
                rate1 += Math.Log10(1 - (problem.SigmaMinSquared / problem.SigmaMaxSquared)) / o.Repeats;
            }
            var (m1, s1) = Stats.MeanStd(p1);
            var (m2, s2) = Stats.MeanStd(p2);
            for (int t = 0; t < m1.Length; t++)
            {
                curves.Add(h, "problem1 log10 l", t, m1[t], s1[t]);
                curves.Add(h, "problem2 log10 L", t, m2[t], s2[t]);
            }
            bands.Add(new Plots.Band($"l(t) = ½‖XW − Y‖², Problem 1, η = 1/σ²_max(X) (h = {h} data)", Steps(m1.Length), m1, s1));
            bands.Add(new Plots.Band($"L(t), Problem 2, eq. (19), h = {h}", Steps(m2.Length), m2, s2));
            summary.Add(h, ratio, etaMax, eta1, capSteps, m2[0], Last(m1), Last(m2), Slope(m1), Slope(m2), rate1);
        }
        Plots.Curves(Path.Combine(folder, Fig4Png), $"Fig. 4 — over- vs non-overparametrized GD, n = m = 5 (mean ± std of log₁₀, {o.Repeats} repeats)", "iteration t", "log₁₀ loss", bands);
        output.WriteLine();
        output.WriteLine($"Fig. 4 — Problem 1 (ℓ, GD with η = 1/σ²_max(X)) vs Problem 2 (L, eq. (19) at η0 = η_max), T = {steps} steps; slope: mean change of log10 per step until 1e-10·L(0) (before the rounding floor), log10(1 − μ/K): Problem 1's guaranteed rate");
        summary.Print(output);
        summary.WriteCsv(Path.Combine(folder, Fig4Summary));
        curves.WriteCsv(Path.Combine(folder, Fig4Curves));
    }

    /// <summary>(log10 L(t*) − log10 L(0))/t*, t* the first t with L(t) ≤ 1e-10·L(0) (else T): the rate before the rounding floor.</summary>
    private static double Slope(double[] log10)
    {
        int t = Array.FindIndex(log10, v => v <= log10[0] - 10);
        t = t < 1 ? log10.Length - 1 : t;
        return (log10[t] - log10[0]) / t;
    }
}
