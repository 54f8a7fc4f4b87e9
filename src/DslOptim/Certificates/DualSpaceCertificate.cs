using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using DslOptim.LinearAlgebra;

namespace DslOptim.Certificates;

/// <summary>
/// A runtime convergence certificate for dual-space preconditioned GD, W_i = W_{i−1} − η ∇K(∇L(W_{i−1})),
/// on L(W) = ℓ(XW − Y) with X ∈ ℝ^{n×d} (Ghane, Akhtiamov, Hassibi, "Dual Space Preconditioning for Gradient
/// Descent in the Overparameterized Regime"). It computes σ₁ and σ_n of XXᵀ, checks Assumptions 1.5–1.8, and
/// evaluates the contraction factor of bound (6) of Theorem 2,
/// ‖W_i − W_∞‖²_F ≤ ρ(η)^i ‖W₀ − W_∞‖²_F with ρ(η) = 1 + η² L_K² M² σ₁²/n² − η m_K μ σ_n/n,
/// its minimizing step η* (Remark 1), and the step-size condition of one of the examples of §II.A.
/// Assumptions 1.1–1.4 (K convex with ∇K = 0 where K = 0, a separable convex loss with a minimizer, L* − ηK convex)
/// concern the declared formulas and are the generator's analyzers' business (DSLOPT001–DSLOPT006); they are not
/// re-checked here. Unknown constants (NaN) never throw: the quantities that depend on them are NaN and the
/// checks that need them are undecided (null).
/// </summary>
public sealed class DualSpaceCertificate
{
    private readonly AssumptionCheck[] _checks;

    private DualSpaceCertificate(
        int n, int d, int k, double eta, CertificateConstants constants, StepSizeExample example,
        double sigma1, double sigmaN, double rankTolerance)
    {
        N = n;
        D = d;
        K = k;
        Eta = eta;
        Constants = constants;
        Example = example;
        Sigma1 = sigma1;
        SigmaN = sigmaN;
        RankTolerance = rankTolerance;

        var (lk, mk, mu, m) = (constants.LK, constants.MK, constants.Mu, constants.M);
        // ρ(η) = 1 + a η² − b η with a = (L_K M σ₁ / n)² and b = m_K μ σ_n / n.
        var a = Square(lk * m * sigma1 / n);
        var b = mk * mu * sigmaN / n;
        Rho = 1.0 + eta * eta * a - eta * b;
        EtaStar = n * mk * mu * sigmaN / (2.0 * Square(lk) * Square(m) * Square(sigma1));
        EtaLimit = n * mk * mu * sigmaN / (Square(lk) * Square(m) * Square(sigma1));
        OptimalRho = 1.0 - Square(mk) * Square(mu) * Square(sigmaN) / (4.0 * Square(lk) * Square(m) * Square(sigma1));
        Contracts = CertificateFormat.Known(Rho, r => r < 1.0);

        ExampleBound = example.Bound(n);
        ExampleHolds = example.Holds(eta, n);
        ExampleCondition = example.Condition(n);

        _checks = BuildChecks();
        RateCertified = CertificateFormat.And(_checks[0].Holds, _checks[1].Holds, _checks[2].Holds, _checks[3].Holds, Contracts);
    }

    /// <summary>The number of samples (rows of X).</summary>
    public int N { get; }

    /// <summary>The number of features (columns of X).</summary>
    public int D { get; }

    /// <summary>The number of outputs (columns of Y and W).</summary>
    public int K { get; }

    /// <summary>The step size η the certificate was evaluated at.</summary>
    public double Eta { get; }

    /// <summary>The constants L_K, m_K, μ, M used.</summary>
    public CertificateConstants Constants { get; }

    /// <summary>The example whose condition was checked (<see cref="StepSizeExample.None"/> when none).</summary>
    public StepSizeExample Example { get; }

    /// <summary>σ₁(XXᵀ): the largest eigenvalue of XXᵀ (the squared largest singular value of X).</summary>
    public double Sigma1 { get; }

    /// <summary>
    /// σ_n(XXᵀ): the smallest (n-th) eigenvalue of XXᵀ, the squared n-th singular value of X. Exactly 0 when
    /// n &gt; d (rank XXᵀ ≤ d); a round-off negative value is reported as 0.
    /// </summary>
    public double SigmaN { get; }

    /// <summary>
    /// The threshold below which <see cref="SigmaN"/> counts as zero for Assumption 1.8:
    /// max(n, d) · 2⁻⁵² · σ₁, the size of the eigenvalues' rounding error.
    /// </summary>
    public double RankTolerance { get; }

    /// <summary>
    /// Assumptions 1.5, 1.6, 1.7, 1.8 in this order, then the regime n &lt; d (informational: the paper's
    /// setting, not needed by bound (6)).
    /// </summary>
    public IReadOnlyList<AssumptionCheck> Checks => _checks;

    /// <summary>
    /// η* = n m_K μ σ_n / (2 L_K² M² σ₁²), the step that minimizes ρ(η) (Remark 1). Remark 1 prints this
    /// without the factor 1/2; that printed value is <see cref="EtaLimit"/>, where ρ = 1. Computed from the
    /// formula whatever the checks say: meaningful only when Assumptions 1.5–1.8 hold.
    /// </summary>
    public double EtaStar { get; }

    /// <summary>
    /// η_max = n m_K μ σ_n / (L_K² M² σ₁²) = 2η*: bound (6) contracts (ρ &lt; 1) exactly for 0 &lt; η &lt; η_max.
    /// This is the expression Remark 1 prints as η*.
    /// </summary>
    public double EtaLimit { get; }

    /// <summary>ρ(η) = 1 + η² L_K² M² σ₁²/n² − η m_K μ σ_n/n, the per-step factor of bound (6) at <see cref="Eta"/>.</summary>
    public double Rho { get; }

    /// <summary>Whether ρ(η) &lt; 1; null when ρ is unknown.</summary>
    public bool? Contracts { get; }

    /// <summary>ρ(η*) = 1 − m_K² μ² σ_n² / (4 L_K² M² σ₁²), the best factor bound (6) can give (Remark 1).</summary>
    public double OptimalRho { get; }

    /// <summary>The example's bound on η (nε or n·max(ε, 1)); NaN when there is no example.</summary>
    public double ExampleBound { get; }

    /// <summary>Whether η satisfies the example's condition; null when there is no example.</summary>
    public bool? ExampleHolds { get; }

    /// <summary>The example's condition with its bound, e.g. <c>η &lt; nε = 0.4</c>, or <c>none</c>.</summary>
    public string ExampleCondition { get; }

    /// <summary>
    /// Whether bound (6) certifies linear convergence at η: Assumptions 1.5–1.8 hold and ρ(η) &lt; 1. False
    /// when any of them is refuted, null when none is refuted but some is unknown. (Assumptions 1.1–1.4 are
    /// the analyzers'; see the type's summary.)
    /// </summary>
    public bool? RateCertified { get; }

    /// <summary>
    /// Certifies dual-space preconditioned GD with step η on ℓ(XW − Y): computes σ₁(XXᵀ) and σ_n(XXᵀ) (cyclic
    /// Jacobi on the smaller of XXᵀ and XᵀX), checks the assumptions and evaluates bound (6).
    /// All arguments are validated before any computation.
    /// </summary>
    /// <param name="x">X ∈ ℝ^{n×d}, row-major; finite.</param>
    /// <param name="n">Samples; at least 1.</param>
    /// <param name="d">Features; at least 1.</param>
    /// <param name="y">Y ∈ ℝ^{n×k}, row-major; finite. Only its shape and finiteness matter to the bound.</param>
    /// <param name="k">Outputs; at least 1.</param>
    /// <param name="eta">The step size; finite and positive.</param>
    /// <param name="constants">L_K, m_K, μ, M; NaN entries are unknown.</param>
    /// <param name="example">One of the paper's examples whose step-size condition to check; none by default.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="constants"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n, d or k is below 1, η is not finite and positive, or min(n, d)² is too large.</exception>
    /// <exception cref="ArgumentException">x or y has the wrong length or a non-finite entry.</exception>
    public static DualSpaceCertificate Certify(
        ReadOnlySpan<double> x, int n, int d,
        ReadOnlySpan<double> y, int k,
        double eta, CertificateConstants constants,
        StepSizeExample example = default)
    {
        ArgumentNullException.ThrowIfNull(constants);
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n (the number of samples, rows of X) must be at least 1.");
        }
        if (d < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "d (the number of features, columns of X) must be at least 1.");
        }
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k (the number of outputs, columns of Y) must be at least 1.");
        }
        if (!(eta > 0.0) || !double.IsFinite(eta))
        {
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "The step size η must be finite and positive.");
        }
        if (x.Length != (long)n * d)
        {
            throw new ArgumentException($"x must hold n·d = {(long)n * d} values (X row-major, {n}×{d}) but holds {x.Length}.", nameof(x));
        }
        if (y.Length != (long)n * k)
        {
            throw new ArgumentException($"y must hold n·k = {(long)n * k} values (Y row-major, {n}×{k}) but holds {y.Length}.", nameof(y));
        }
        var order = Math.Min(n, d);
        if ((long)order * order > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"The Gram matrix would have min(n, d)² = {(long)order * order} entries, more than an array can hold.");
        }
        RequireFinite(x, d, nameof(x), "X");
        RequireFinite(y, k, nameof(y), "Y");

        // The non-zero eigenvalues of XXᵀ and XᵀX coincide: decompose the smaller one.
        var gram = new double[order * order];
        if (n <= d)
        {
            Gram.OuterProduct(x, n, d, gram);
        }
        else
        {
            Gram.InnerProduct(x, n, d, gram);
        }
        var eigenvalues = SymmetricEigen.Eigenvalues(gram, order);
        var sigma1 = Math.Max(eigenvalues[0], 0.0);
        // For n > d, XXᵀ has rank at most d < n: its n-th eigenvalue is exactly 0.
        var sigmaN = n <= d ? Math.Max(eigenvalues[order - 1], 0.0) : 0.0;
        var rankTolerance = Math.Max(n, d) * SymmetricEigen.UnitRoundoff * sigma1;

        return new DualSpaceCertificate(n, d, k, eta, constants, example, sigma1, sigmaN, rankTolerance);
    }

    /// <summary>
    /// A table, one quantity or check per line, aligned, invariant culture, numbers as G6; unknown
    /// values read <c>unknown</c>.
    /// </summary>
    /// <returns>The multi-line table.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine("Dual-space preconditioned GD: convergence certificate (Theorem 2, bound (6))");
        text.Append("n = ").Append(N).Append(", d = ").Append(D).Append(", k = ").Append(K)
            .Append(", η = ").AppendLine(CertificateFormat.Number(Eta));
        text.AppendLine();

        AppendTable(text, new[] { "Quantity", "Value" }, new[]
        {
            new[] { "σ₁(XXᵀ)", CertificateFormat.Number(Sigma1) },
            new[] { "σ_n(XXᵀ)", CertificateFormat.Number(SigmaN) },
            new[] { "L_K", CertificateFormat.Number(Constants.LK) },
            new[] { "m_K", CertificateFormat.Number(Constants.MK) },
            new[] { "μ", CertificateFormat.Number(Constants.Mu) },
            new[] { "M", CertificateFormat.Number(Constants.M) },
            new[] { "η* (minimizes ρ)", CertificateFormat.Number(EtaStar) },
            new[] { "η_max (ρ = 1)", CertificateFormat.Number(EtaLimit) },
            new[] { "ρ(η)", CertificateFormat.Number(Rho) },
            new[] { "ρ(η) < 1", CertificateFormat.Answer(Contracts) },
            new[] { "ρ(η*) optimal", CertificateFormat.Number(OptimalRho) },
        });
        text.AppendLine();

        var checkRows = new List<string[]>();
        foreach (var check in _checks)
        {
            checkRows.Add(new[] { check.Name, CertificateFormat.Answer(check.Holds), check.Detail });
        }
        AppendTable(text, new[] { "Assumption", "Holds", "Detail" }, checkRows);
        text.AppendLine();

        AppendTable(text, new[] { "Example", "Condition", "Holds" }, new[]
        {
            new[] { Example.ToString(), ExampleCondition, Example.Kind == StepSizeExampleKind.None ? "n/a" : CertificateFormat.Answer(ExampleHolds) },
        });
        text.AppendLine();

        text.Append("Rate certified (1.5–1.8 hold and ρ(η) < 1): ").AppendLine(CertificateFormat.Answer(RateCertified));
        return text.ToString();
    }

    private AssumptionCheck[] BuildChecks()
    {
        var (lk, mk, mu, m) = (Constants.LK, Constants.MK, Constants.Mu, Constants.M);

        // 1.5: ℓ μ-strongly convex with μ > 0 and M-Lipschitz gradient with M finite.
        var muHolds = CertificateFormat.Known(mu, v => v > 0.0 && double.IsFinite(v));
        var mHolds = CertificateFormat.Known(m, v => v > 0.0 && double.IsFinite(v));
        var loss = new AssumptionCheck(
            "1.5 loss: μ > 0, M finite",
            CertificateFormat.And(muHolds, mHolds),
            Describe("μ", mu, muHolds, "> 0", mu > 0.0 ? "not finite" : "not > 0, the loss is not strongly convex")
                + "; " + Describe("M", m, mHolds, "finite", double.IsPositiveInfinity(m) ? "ℓ′ is not Lipschitz" : "not > 0"));

        // 1.6: ∇K L_K-Lipschitz with L_K finite.
        var lkHolds = CertificateFormat.Known(lk, v => v >= 0.0 && double.IsFinite(v));
        var lipschitz = new AssumptionCheck(
            "1.6 ∇K: L_K finite",
            lkHolds,
            Describe("L_K", lk, lkHolds, "finite", double.IsPositiveInfinity(lk) ? "∇K is not Lipschitz" : "negative"));

        // 1.7: K m_K-strongly convex on the ball B.
        var mkHolds = CertificateFormat.Known(mk, v => v > 0.0 && double.IsFinite(v));
        var strong = new AssumptionCheck(
            "1.7 K: m_K > 0",
            mkHolds,
            Describe("m_K", mk, mkHolds, "> 0",
                mk > 0.0 ? "not finite" : "not > 0, K is not strongly convex; supply a local m_K on the ball B (WithMinimumCurvature)"));

        // 1.8: σ_n(XXᵀ) > 0, i.e. X has full row rank.
        bool sigmaHolds;
        string sigmaDetail;
        if (N > D)
        {
            sigmaHolds = false;
            sigmaDetail = $"σ_n = 0: rank XXᵀ ≤ d = {D} < n = {N}";
        }
        else if (SigmaN > RankTolerance)
        {
            sigmaHolds = true;
            sigmaDetail = $"σ_n = {CertificateFormat.Number(SigmaN)} > rank tolerance {CertificateFormat.Number(RankTolerance)}";
        }
        else
        {
            sigmaHolds = false;
            sigmaDetail = $"σ_n = {CertificateFormat.Number(SigmaN)} ≤ rank tolerance {CertificateFormat.Number(RankTolerance)}: X is rank deficient";
        }
        var rank = new AssumptionCheck("1.8 σ_n(XXᵀ) > 0", sigmaHolds, sigmaDetail);

        var regime = new AssumptionCheck(
            "n < d (overparameterized)",
            N < D,
            N < D ? $"n = {N} < d = {D}" : $"n = {N} ≥ d = {D}: not the paper's overparameterized regime");

        return new[] { loss, lipschitz, strong, rank, regime };
    }

    private static string Describe(string symbol, double value, bool? holds, string requirement, string failure) => holds switch
    {
        null => $"{symbol} unknown",
        true => $"{symbol} = {CertificateFormat.Number(value)} {requirement}",
        false => $"{symbol} = {CertificateFormat.Number(value)}: {failure}",
    };

    private static void AppendTable(StringBuilder text, string[] header, IReadOnlyList<string[]> rows)
    {
        var widths = new int[header.Length];
        for (var c = 0; c < header.Length; c++)
        {
            widths[c] = header[c].Length;
            foreach (var row in rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        AppendRow(text, header, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder("  ");
        for (var c = 0; c < cells.Length; c++)
        {
            line.Append(c == cells.Length - 1 ? cells[c] : cells[c].PadRight(widths[c] + 2));
        }
        text.AppendLine(line.ToString().TrimEnd());
    }

    private static void RequireFinite(ReadOnlySpan<double> values, int columns, string parameter, string matrix)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{matrix}[{i / columns},{i % columns}] = {values[i]} is not finite."), parameter);
            }
        }
    }

    private static double Square(double value) => value * value;
}
