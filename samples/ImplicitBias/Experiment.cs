using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DslOptim;
using DslOptim.Certificates;
using DslOptim.LinearAlgebra;

namespace ImplicitBias;

/// <summary>
/// The sample's entry logic, callable in-process: §IV of the dual-space preconditioning paper on planted least
/// squares — Theorem 2 (isotropic potentials find the p = 2 interpolator), Fig. 1, Fig. 2 and bound (6).
/// </summary>
public static class Experiment
{
    public const int ExitSuccess = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    /// <summary>ε of normalized GD and of Adam without momentum in Theorem 2's table and in Fig. 2 (the paper's 0.5).</summary>
    public const double AdamEpsilon = 0.5;

    /// <summary>The paper's reference step of Fig. 2: W_ref is the limit at η = 0.005.</summary>
    public const double PaperReferenceEta = 0.005;

    /// <summary>The largest ε of Fig. 1's sweep (large ε makes Adam without momentum GD-like).</summary>
    public const double LargestEpsilon = 10.0;

    public const string SummaryFile = "summary.csv";
    public const string Figure1File = "fig1-epsilon-sweep.png";
    public const string Figure2File = "fig2-eta-sweep.png";
    public const string LossCurvesFile = "loss-curves.png";
    public const string DistanceCurvesFile = "distance-curves.png";
    public const string Figure1Data = "fig1.csv";
    public const string Figure2Data = "fig2.csv";

    /// <summary>Runs the sample.</summary>
    /// <param name="args">The command line (see <see cref="Options.Usage"/>).</param>
    /// <param name="output">Tables and results.</param>
    /// <param name="error">
    /// Error messages and the progress line. Null: the console's error stream, with the progress line rewritten
    /// in place when it is a terminal. A supplied writer gets one plain line per run.
    /// </param>
    /// <returns>0 done, 1 a run failed, 2 bad options.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var terminal = error is null && !Console.IsErrorRedirected;
        error ??= Console.Error;

        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            Options options;
            string folder;
            try
            {
                options = Options.Parse(args);
                if (options.Help)
                {
                    output.WriteLine(Options.Usage);
                    return ExitSuccess;
                }
                folder = CreateFolder(options.Output);
            }
            catch (OptionsException exception)
            {
                error.WriteLine("error: " + exception.Message);
                error.WriteLine("Run with --help for the options.");
                return ExitUsage;
            }

            try
            {
                new Runner(options, folder, output, new Progress(error, terminal)).Run();
                return ExitSuccess;
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine($"error: {exception.Message}");
                return ExitFailure;
            }
            catch (DllNotFoundException exception)
            {
                error.WriteLine($"error: a native library of OR-Tools or SkiaSharp could not be loaded on this platform: {exception.Message}");
                return ExitFailure;
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static string CreateFolder(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(full);
            return full;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OptionsException($"--out '{path}': the output folder cannot be created ({exception.Message}).");
        }
    }

    /// <summary>The numbers <see cref="Runner.Observe"/> fits from a run's distances to its limit.</summary>
    private readonly record struct Observed(double Worst, double Tail, bool? BoundHolds);

    private sealed class Runner
    {
        private readonly Options _options;
        private readonly string _folder;
        private readonly TextWriter _out;
        private readonly Progress _progress;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private PlantedProblem _problem = null!;
        private Trainer _trainer = null!;
        private double _sigma1;
        private double _sigmaN;

        public Runner(Options options, string folder, TextWriter output, Progress progress)
        {
            _options = options;
            _folder = folder;
            _out = output;
            _progress = progress;
        }

        private int N => _problem.N;

        public void Run()
        {
            _problem = PlantedProblem.Create(_options.N, _options.D, _options.Seed);
            _trainer = new Trainer(_problem, _options.Steps, _progress);

            WriteHeader();
            var (wp1, wp2, wpInf) = WriteInterpolators();
            var theorem2 = WriteTheorem2(wp2);
            WriteCertificates(theorem2, wp2);
            var figure1 = WriteFigure1(wp1, wp2, wpInf);
            var figure2 = WriteFigure2(theorem2);
            WritePlots(theorem2, figure1, figure2, wp2);
        }

        // ----- data --------------------------------------------------------------------------------------

        private void WriteHeader()
        {
            var gram = new double[N * N];
            Gram.OuterProduct(_problem.X, N, _problem.D, gram);
            var eigenvalues = SymmetricEigen.Eigenvalues(gram, N);
            _sigma1 = eigenvalues[0];
            _sigmaN = eigenvalues[^1];

            _out.WriteLine("Implicit bias of dual-space preconditioned GD, W_i = W_{i−1} − η ∇K(∇L(W_{i−1})) (eq. 1), §IV of Ghane, Akhtiamov, Hassibi.");
            _out.WriteLine($"Data (planted least squares, k = 1; the paper's own generation is in its unavailable supplement): X ∈ ℝ^{{n×d}}, n = {N}, d = {_problem.D},");
            _out.WriteLine($"  entries i.i.d. N(0, 1); planted w⋆ ~ N(0, I_d); y = X w⋆; W0 ~ N(0, {Format.G(PlantedProblem.InitScale)}²·I_d); seed {_problem.Seed}{(_options.Quick ? "; --quick" : "")}.");
            _out.WriteLine("Loss: L(W) = (1/n) Σᵢ ℓ(xᵢᵀW − yᵢ) with ℓ(r) = r²/2 (μ = M = 1); each step is the generated full step (∇L, L and ‖∇L‖ in one pass over X, then the update).");
            _out.WriteLine($"Spectrum: σ₁(XXᵀ) = {Format.G(_sigma1)}, σ_n(XXᵀ) = {Format.G(_sigmaN)}; L is σ₁/n = {Format.G(_sigma1 / N)}-smooth on the row space, plain GD is stable for η < 2n/σ₁ = {Format.G(2 * N / _sigma1)}.");
            _out.WriteLine($"Runs stop when ‖∇L(W)‖₂ ≤ {Format.G(Trainer.RelativeTolerance)}·‖∇L(W0)‖₂ or after {Format.Int(_options.Steps)} steps.");
            _out.WriteLine($"Output folder: {_folder}");
            _out.WriteLine();
        }

        private (double[] P1, double[] P2, double[] PInf) WriteInterpolators()
        {
            _progress.Begin("Interpolators: p = 2 by Cholesky, p = 1 and p = ∞ by GLOP");
            var p2 = Interpolators.MinimumL2(_problem);
            var p1 = Interpolators.MinimumL1(_problem);
            var pInf = Interpolators.MinimumLInf(_problem);
            _progress.End();

            _out.WriteLine("== The interpolators of (11): W_p = argmin ‖W − W0‖_p s.t. XW = Y ==");
            _out.WriteLine("p = 2: W0 + Xᵀ(XXᵀ)⁻¹(Y − XW0) (Cholesky); p = 1, ∞: linear programs (Google OR-Tools, GLOP). Each row's own norm is its column's minimum.");
            var table = new Table("interpolator", "‖W−W0‖₁", "‖W−W0‖₂", "‖W−W0‖∞", "‖W‖₂", "‖XW−Y‖₂");
            foreach (var (name, w) in new[] { ("W_p1", p1), ("W_p2", p2), ("W_p∞", pInf) })
            {
                var u = Subtract(w, _problem.W0);
                table.Add(name, Format.G(Dense.Norm1(u)), Format.G(Dense.Norm2(u)), Format.G(Dense.NormInf(u)), Format.G(Dense.Norm2(w)), Format.Sci(_problem.Residual(w)));
            }
            table.Write(_out);
            _out.WriteLine();
            return (p1, p2, pInf);
        }

        // ----- Theorem 2 -----------------------------------------------------------------------------------

        private sealed record Theorem2Runs(RunResult Gd, RunResult Normalized, RunResult Clipped, RunResult Adam, double EtaRef)
        {
            public IReadOnlyList<RunResult> All => new[] { Gd, Normalized, Clipped, Adam };
        }

        private Theorem2Runs WriteTheorem2(double[] wp2)
        {
            var etaGd = N / _sigma1;
            var gdOpt = new PlainGd { Eta = etaGd };
            var normalized = new NormalizedGd { Eta = new NormalizedGd().Eps * etaGd };
            var clipped = new ClippedGd { Eta = etaGd };
            var etaRef = ReferenceEta();
            var adam = new AdamWithoutMomentum { Eps = AdamEpsilon, Eta = etaRef };

            var gd = _trainer.Run("Theorem 2: plain GD", "GD", double.NaN, gdOpt.Eta, gdOpt.Step, wp2);
            var ngd = _trainer.Run("Theorem 2: normalized GD", "Normalized GD", normalized.Eps, normalized.Eta, normalized.Step, wp2);
            var clip = _trainer.Run("Theorem 2: gradient clipping", "Gradient clipping", clipped.Eps, clipped.Eta, clipped.Step, wp2);
            var adamRun = _trainer.Run("Theorem 2: Adam without momentum (W_ref)", "Adam without momentum", adam.Eps, adam.Eta, adam.Step, wp2);
            var runs = new Theorem2Runs(gd, ngd, clip, adamRun, etaRef);

            var wp2Norm = Dense.Norm2(wp2);
            _out.WriteLine("== Theorem 2: isotropic K = h(‖·‖_F) converges to the p = 2 interpolator (5); elementwise (Adam) does not ==");
            _out.WriteLine($"GD steps η = n/σ₁ = {Format.G(etaGd)} (1/smoothness); normalized GD η = ε·n/σ₁ (GD-like once ‖∇L‖ ≪ ε); clipping η = n/σ₁; Adam ε = {Format.G(AdamEpsilon)}, η = {Format.G(etaRef)}.");
            if (etaRef < PaperReferenceEta)
            {
                _out.WriteLine($"(η = {Format.G(PaperReferenceEta)} is unstable on this data for ε = {Format.G(AdamEpsilon)}: the reference step is lowered to {Format.G(etaRef)}.)");
            }
            var table = new Table("method", "K", "ε", "η", "steps", "‖∇L(W)‖₂", "‖XW−Y‖₂", "‖W−W_p2‖₂/‖W_p2‖₂");
            var csv = new StringBuilder("method,potential,epsilon,eta,steps,converged,gradient_norm,residual,relative_distance_p2\n");
            foreach (var (run, kind) in new[] { (gd, "isotropic"), (ngd, "isotropic"), (clip, "isotropic"), (adamRun, "elementwise") })
            {
                var relative = Dense.Distance(run.W, wp2) / wp2Norm;
                var residual = _problem.Residual(run.W);
                table.Add(run.Method, kind, Format.G(run.Epsilon), Format.G(run.Eta), StepsCell(run), Format.Sci(run.FinalGradientNorm), Format.Sci(residual), Format.Sci(relative));
                csv.Append(CultureInfo.InvariantCulture,
                    $"{run.Method},{kind},{Format.R(run.Epsilon)},{Format.R(run.Eta)},{run.Steps},{(run.Converged ? "true" : "false")},{Format.R(run.FinalGradientNorm)},{Format.R(residual)},{Format.R(relative)}\n");
            }
            table.Write(_out);
            WriteCapNote(runs.All);
            _out.WriteLine();
            File.WriteAllText(Path.Combine(_folder, SummaryFile), csv.ToString());
            return runs;
        }

        // The paper's η = 0.005, unless Adam's GD-like end phase (step η/ε) would be unstable on this data.
        private double ReferenceEta()
        {
            var stable = 2 * AdamEpsilon * N / _sigma1;
            return PaperReferenceEta < 0.5 * stable ? PaperReferenceEta : 0.1 * stable;
        }

        // ----- certificates ---------------------------------------------------------------------------------

        private void WriteCertificates(Theorem2Runs runs, double[] wp2)
        {
            var g0 = runs.Gd.InitialGradientNorm;
            var gd = new PlainGd();
            var ngd = new NormalizedGd();
            var clip = new ClippedGd();
            // m_K of Assumption 1.7 on the ball ‖Z‖_F ≤ ‖∇L(W0)‖_F: the Hessian of h(‖Z‖) has eigenvalues h″(s) and
            // h′(s)/s, both non-increasing in s for these three h, so the minimum is at the rim s = ‖∇L(W0)‖_F.
            var entries = new (string Name, RunResult Run, AnalysisConstants Constants, double LocalMk, StepSizeExample Example, Func<double, StepFunction> Step)[]
            {
                ("GD", runs.Gd, PlainGd.Info.Constants, Math.Min(gd.HDoublePrime(g0), gd.HPrime(g0) / g0), StepSizeExample.None, eta => new PlainGd { Eta = eta }.Step),
                ("Normalized GD", runs.Normalized, NormalizedGd.Info.Constants, Math.Min(ngd.HDoublePrime(g0), ngd.HPrime(g0) / g0), StepSizeExample.NormalizedGd(ngd.Eps), eta => new NormalizedGd { Eta = eta }.Step),
                ("Gradient clipping", runs.Clipped, ClippedGd.Info.Constants, Math.Min(clip.HDoublePrime(g0), clip.HPrime(g0) / g0), StepSizeExample.GradientClipping(clip.Eps), eta => new ClippedGd { Eta = eta }.Step),
            };

            var constantsTable = new Table("method", "L_K", "m_K (ball)", "μ", "M", "η*", "ρ(η*)", "§II.A condition", "holds at η");
            var boundTable = new Table("method", "η", "ρ(η)", "observed ρ̂ (worst i)", "observed ρ̂ (asymptotic)", "(6) holds at every i");
            DualSpaceCertificate? shown = null;
            foreach (var entry in entries)
            {
                var constants = CertificateConstants.FromAnalysis(entry.Constants).WithMinimumCurvature(entry.LocalMk);
                var certificate = DualSpaceCertificate.Certify(_problem.X, N, _problem.D, _problem.Y, 1, entry.Run.Eta, constants, entry.Example);
                shown ??= entry.Name == "Normalized GD" ? certificate : null;
                constantsTable.Add(entry.Name, Format.G(constants.LK), Format.G(constants.MK), Format.G(constants.Mu), Format.G(constants.M),
                    Format.G(certificate.EtaStar), constants.MK > 0.0 ? RhoCell(certificate.OptimalRho) : "1 (no rate)", certificate.ExampleCondition,
                    certificate.ExampleHolds is bool holds ? (holds ? "yes" : "no") : "n/a");

                var observed = Observe(entry.Run.Distances, certificate.Rho);
                boundTable.Add(entry.Name, Format.G(entry.Run.Eta), RhoCell(certificate.Rho), RhoCell(observed.Worst), RhoCell(observed.Tail), Answer(observed.BoundHolds, certificate.Rho));

                if (certificate.EtaStar > 0.0 && double.IsFinite(certificate.EtaStar))
                {
                    // ρ(η*) is the certificate's OptimalRho: no second decomposition of XXᵀ is needed.
                    var etaStar = certificate.EtaStar;
                    var run = _trainer.Run($"Bound (6): {entry.Name} at η*", entry.Name, double.NaN, etaStar, entry.Step(etaStar), wp2, _options.CertificateSteps);
                    var star = Observe(run.Distances, certificate.OptimalRho);
                    boundTable.Add($"{entry.Name} at η* ({Format.Int(run.Steps)} steps)", Format.G(etaStar), RhoCell(certificate.OptimalRho), RhoCell(star.Worst), RhoCell(star.Tail), Answer(star.BoundHolds, certificate.OptimalRho));
                }
                else
                {
                    boundTable.Add($"{entry.Name} at η*", "n/a", "n/a", "", "", "m_K = 0: (6) gives no rate");
                }
            }

            _out.WriteLine("== Bound (6) and η* (Remark 1): DualSpaceCertificate.Certify ==");
            _out.WriteLine($"L_K, μ, M from Info.Constants (the generator's analysis); m_K is K's strong convexity on the ball ‖Z‖_F ≤ ‖∇L(W0)‖_F = {Format.G(g0)} (Assumption 1.7),");
            _out.WriteLine("min(h″(s), h′(s)/s) at its rim. η* = n m_K μ σ_n / (2 L_K² M² σ₁²) minimizes ρ(η) = 1 + η² L_K² M² σ₁²/n² − η m_K μ σ_n/n.");
            constantsTable.Write(_out);
            _out.WriteLine();
            _out.WriteLine("ρ is the per-step factor of ‖W_i − W∞‖²_F in (6); W∞ = W_p2. Observed: ρ̂ (worst i) = max_i (‖W_i − W∞‖/‖W0 − W∞‖)^{2/i}, the smallest");
            _out.WriteLine("factor consistent with every iterate; ρ̂ (asymptotic) = exp of the slope of log ‖W_i − W∞‖² over the linear phase.");
            boundTable.Write(_out);
            _out.WriteLine("(6) is valid wherever ρ < 1 but conservative: at the practical η, ρ(η) ≥ 1 says nothing while the iterates contract fast.");
            _out.WriteLine();
            if (shown is not null && !_options.Quick)
            {
                _out.Write(shown.ToString());
                _out.WriteLine();
            }
        }

        // Worst-case and asymptotic per-step factors of e_i² = ‖W_i − W∞‖², and whether e_i² ≤ ρ^i e_0² held at every i.
        private static Observed Observe(IReadOnlyList<double> e, double rho)
        {
            if (e.Count < 2 || !(e[0] > 0.0))
            {
                return new Observed(double.NaN, double.NaN, null);
            }
            var e0 = e[0];
            var floor = 1e-9 * e0;
            var worst = 0.0;
            bool? holds = double.IsFinite(rho) ? true : null;
            for (var i = 1; i < e.Count; i++)
            {
                var ratio = e[i] / e0;
                if (e[i] > floor)
                {
                    worst = Math.Max(worst, Math.Pow(ratio, 2.0 / i));
                }
                if (holds == true && ratio * ratio > Math.Pow(rho, i) * (1 + 1e-9))
                {
                    holds = false;
                }
            }

            // The linear phase: from where e has fallen below 1e-3·e0 (or from the run's middle, if it never does)
            // to where it reaches 1e-9·e0, the round-off floor's neighbourhood.
            var start = -1;
            var end = e.Count - 1;
            for (var i = 0; i < e.Count; i++)
            {
                if (start < 0 && e[i] <= 1e-3 * e0)
                {
                    start = i;
                }
                if (e[i] <= floor)
                {
                    end = i;
                    break;
                }
            }
            if (start < 0)
            {
                start = e.Count / 2;
            }
            double tail = double.NaN;
            if (end - start >= 5)
            {
                // Least-squares slope of log e_i² against i.
                double sx = 0, sy = 0, sxx = 0, sxy = 0;
                var count = end - start + 1;
                for (var i = start; i <= end; i++)
                {
                    var y = 2.0 * Math.Log(e[i]);
                    sx += i;
                    sy += y;
                    sxx += (double)i * i;
                    sxy += i * y;
                }
                var slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
                tail = Math.Exp(slope);
            }
            return new Observed(worst, tail, holds);
        }

        private static string RhoCell(double rho)
        {
            if (!double.IsFinite(rho))
            {
                return Format.G(rho);
            }
            // Factors close to 1 read better as 1 − δ.
            var delta = 1.0 - rho;
            return Math.Abs(delta) < 1e-3 && delta != 0.0
                ? (delta > 0 ? "1 − " + Format.Sci(delta) : "1 + " + Format.Sci(-delta))
                : rho.ToString("0.0000", CultureInfo.InvariantCulture);
        }

        private static string Answer(bool? holds, double rho) => holds switch
        {
            true when rho >= 1.0 => "yes (ρ ≥ 1: no rate)",
            true => "yes",
            false => "NO",
            null => "n/a",
        };

        // ----- Fig. 1 ----------------------------------------------------------------------------------------

        private sealed record Figure1Result(double Eta, double[] Epsilons, double[][] Distances, string[] Names);

        private Figure1Result WriteFigure1(double[] wp1, double[] wp2, double[] wpInf)
        {
            var eta = ReferenceEta();
            // Adam's end phase is GD with step η/ε: stable for ε > η σ₁/(2n). The sweep starts at 1.25 times that.
            var smallest = 1.25 * eta * _sigma1 / (2 * N);
            var largest = Math.Max(LargestEpsilon, 100 * smallest);
            var epsilons = LogSpace(smallest, largest, _options.EpsilonPoints);
            var references = new[] { wp1, wp2, wpInf };
            var names = new[] { "p = 1", "p = 2", "p = ∞" };
            var norms = references.Select(r => Dense.Norm2(r)).ToArray();
            var distances = names.Select(_ => new double[epsilons.Length]).ToArray();

            _out.WriteLine($"== Fig. 1: Adam without momentum at η = {Format.G(eta)}, ε from {Format.G(smallest)} to {Format.G(largest)}: distance of W∞ from W_p ==");
            _out.WriteLine("Normalized by the interpolator's norm: ‖W∞ − W_p‖₂/‖W_p‖₂. Large ε makes the method GD-like (→ W_p2); small ε sign-like.");
            var table = new Table("ε", "steps", "‖XW−Y‖₂", "to W_p1", "to W_p2", "to W_p∞");
            var csv = new StringBuilder("epsilon,eta,steps,converged,residual,distance_p1,distance_p2,distance_pinf\n");
            var runs = new List<RunResult>();
            for (var k = 0; k < epsilons.Length; k++)
            {
                var optimizer = new AdamWithoutMomentum { Eps = epsilons[k], Eta = eta };
                var run = _trainer.Run($"Fig. 1: ε = {Format.G(epsilons[k])} ({k + 1}/{epsilons.Length})", "Adam without momentum", optimizer.Eps, eta, optimizer.Step);
                runs.Add(run);
                for (var p = 0; p < references.Length; p++)
                {
                    distances[p][k] = Dense.Distance(run.W, references[p]) / norms[p];
                }
                var residual = _problem.Residual(run.W);
                table.Add(Format.G(epsilons[k]), StepsCell(run), Format.Sci(residual), Format.Sci(distances[0][k]), Format.Sci(distances[1][k]), Format.Sci(distances[2][k]));
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Format.R(epsilons[k])},{Format.R(eta)},{run.Steps},{(run.Converged ? "true" : "false")},{Format.R(residual)},{Format.R(distances[0][k])},{Format.R(distances[1][k])},{Format.R(distances[2][k])}\n");
            }
            table.Write(_out);
            WriteCapNote(runs);
            _out.WriteLine();
            File.WriteAllText(Path.Combine(_folder, Figure1Data), csv.ToString());
            return new Figure1Result(eta, epsilons, distances, names);
        }

        // ----- Fig. 2 ----------------------------------------------------------------------------------------

        private sealed record Figure2Result(double[] Etas, double[] FromGd, double[] FromRef, double EtaRef);

        private Figure2Result WriteFigure2(Theorem2Runs theorem2)
        {
            var etaRef = theorem2.EtaRef;
            var reference = theorem2.Adam.W;
            var gdLimit = theorem2.Gd.W;
            var referenceNorm = Dense.Norm2(reference);
            // The end phase is GD with step η/ε: stable for η < 2εn/σ₁; the sweep stops at 90% of that.
            var largest = 0.9 * 2 * AdamEpsilon * N / _sigma1;
            var etas = LogSpace(etaRef, largest, _options.EtaPoints);
            var fromGd = new double[etas.Length];
            var fromRef = new double[etas.Length];

            _out.WriteLine($"== Fig. 2: Adam without momentum at ε = {Format.G(AdamEpsilon)}, η from {Format.G(etaRef)} to {Format.G(largest)} (0.9 of the end phase's stability limit 2εn/σ₁) ==");
            _out.WriteLine($"W_GD,∞ = plain GD's limit from W0 (= W_p2 for squared loss); W_ref = the limit at η = {Format.G(etaRef)}; distances normalized by ‖W_ref‖₂ = {Format.G(referenceNorm)}.");
            var table = new Table("η", "steps", "‖XW−Y‖₂", "‖W∞−W_GD,∞‖/‖W_ref‖", "‖W∞−W_ref‖/‖W_ref‖");
            var csv = new StringBuilder("eta,epsilon,steps,converged,residual,distance_gd,distance_ref\n");
            var runs = new List<RunResult>();
            for (var k = 0; k < etas.Length; k++)
            {
                RunResult run;
                if (k == 0)
                {
                    run = theorem2.Adam;
                }
                else
                {
                    var optimizer = new AdamWithoutMomentum { Eps = AdamEpsilon, Eta = etas[k] };
                    run = _trainer.Run($"Fig. 2: η = {Format.G(etas[k])} ({k + 1}/{etas.Length})", "Adam without momentum", AdamEpsilon, etas[k], optimizer.Step);
                }
                runs.Add(run);
                fromGd[k] = Dense.Distance(run.W, gdLimit) / referenceNorm;
                fromRef[k] = Dense.Distance(run.W, reference) / referenceNorm;
                var residual = _problem.Residual(run.W);
                table.Add(Format.G(etas[k]), StepsCell(run), Format.Sci(residual), Format.Sci(fromGd[k]), Format.Sci(fromRef[k]));
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Format.R(etas[k])},{Format.R(AdamEpsilon)},{run.Steps},{(run.Converged ? "true" : "false")},{Format.R(residual)},{Format.R(fromGd[k])},{Format.R(fromRef[k])}\n");
            }
            table.Write(_out);
            WriteCapNote(runs);
            _out.WriteLine();
            File.WriteAllText(Path.Combine(_folder, Figure2Data), csv.ToString());
            return new Figure2Result(etas, fromGd, fromRef, etaRef);
        }

        // ----- plots -------------------------------------------------------------------------------------------

        private void WritePlots(Theorem2Runs theorem2, Figure1Result figure1, Figure2Result figure2, double[] wp2)
        {
            _progress.Begin("Plots");
            Plots.Figure1(Path.Combine(_folder, Figure1File), figure1.Eta, figure1.Epsilons, figure1.Distances, figure1.Names);
            Plots.Figure2(Path.Combine(_folder, Figure2File), AdamEpsilon, figure2.EtaRef, figure2.Etas, figure2.FromGd, figure2.FromRef);
            Plots.LossCurves(Path.Combine(_folder, LossCurvesFile), theorem2.All);
            Plots.DistanceCurves(Path.Combine(_folder, DistanceCurvesFile), theorem2.All, Dense.Norm2(wp2));
            _progress.End();

            _out.WriteLine($"Wrote to {_folder}:");
            _out.WriteLine($"  {Figure1File}, {Figure2File}, {LossCurvesFile}, {DistanceCurvesFile}");
            _out.WriteLine($"  {SummaryFile} (Theorem 2 table), {Figure1Data}, {Figure2Data}");
            _out.WriteLine($"Done in {_clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.");
        }

        // ----- helpers -------------------------------------------------------------------------------------------

        private static string StepsCell(RunResult run) => Format.Int(run.Steps) + (run.Converged ? "" : "*");

        private void WriteCapNote(IEnumerable<RunResult> runs)
        {
            if (runs.Any(r => !r.Converged))
            {
                _out.WriteLine($"* stopped by the step cap ({Format.Int(_options.Steps)}; --steps) before ‖∇L‖ ≤ {Format.G(Trainer.RelativeTolerance)}·‖∇L(W0)‖: the last iterate is reported.");
            }
        }

        private static double[] Subtract(double[] a, double[] b) => a.Select((value, i) => value - b[i]).ToArray();

        private static double[] LogSpace(double from, double to, int count)
        {
            if (count == 1)
            {
                return new[] { from };
            }
            var values = new double[count];
            var (a, b) = (Math.Log(from), Math.Log(to));
            for (var i = 0; i < count; i++)
            {
                values[i] = Math.Exp(a + (b - a) * i / (count - 1));
            }
            values[0] = from;
            values[^1] = to;
            return values;
        }
    }
}
