using System;
using System.Collections.Generic;
using DslOptim.LinearAlgebra;

namespace DslOptim.TwoLayer.Theory;

/// <summary>
/// The constants of Table 2 of the local-PL paper for Problem 2, L(W₁, W₂) = ℓ(W₁W₂ᵀ) with W₁ ∈ ℝⁿˣʰ and
/// W₂ ∈ ℝᵐˣʰ, at the initialization W₁(0), W₂(0):
/// <list type="bullet">
/// <item>D(0) = W₁ᵀ(0)W₁(0) − W₂ᵀ(0)W₂(0) (h×h, the imbalance), λ₊ = max(λ_max(D(0)), 0), λ₋ = max(λ_max(−D(0)), 0);</item>
/// <item>Δ₊ = λ₊ − max(λ_n(D(0)), 0), Δ₋ = λ₋ − max(λ_m(−D(0)), 0), Δ̲ = max(λ_n(D(0)), 0) + max(λ_m(−D(0)), 0)
/// (λ_k = the k-th largest eigenvalue);</item>
/// <item>β₁ = max(0, σ_min(W*) − √(K/μ)·‖W(0) − W*‖_F), β₂ = σ_max(W*) + √(K/μ)·‖W(0) − W*‖_F, W(0) = W₁(0)W₂ᵀ(0), W* = argmin ℓ;</item>
/// <item>α₁ = [−Δ₊ − Δ₋ + √((Δ₊ + Δ̲)² + 4β₁²) + √((Δ₋ + Δ̲)² + 4β₁²)]/2,
/// α₂ = [λ₊ + √(λ₊² + 4β₂²)]/2 + [λ₋ + √(λ₋² + 4β₂²)]/2.</item>
/// </list>
/// μ and K are the strong-convexity and smoothness constants of ℓ as a function of W (for ℓ(W) = Σ φ(XW − Y)
/// they are inf φ″·σ²_min(X) and sup φ″·σ²_max(X)); they, W* and L(0) are inputs, so this class does not depend
/// on how the runtime computes them. The theory assumes min ℓ = 0 (Assumption 2.2): pass the excess loss
/// L(0) − ℓ* otherwise. Matrices are row-major: W₁ is n×h (entry (i, k) at i·h + k), W₂ m×h, W* n×m.
/// </summary>
/// <remarks>
/// D(0) is h×h, but it is AᵀSA with A = [W₁; W₂] ((n+m)×h) and S = diag(Iₙ, −Iₘ), so its non-zero eigenvalues are
/// those of R·S·Rᵀ where Aᵀ = Q·R (thin QR, R (n+m)×(n+m)) — an (n+m)×(n+m) symmetric eigenproblem, independent of
/// h and backward stable. D(0) has at most n positive and m negative eigenvalues (Sylvester's law of inertia), and
/// R·S·Rᵀ has the same positive and negative ones, so max(λ_n(D(0)), 0) and max(λ_m(−D(0)), 0) are read off it for
/// any h (when h &lt; n the n-th eigenvalue of the h×h D(0) does not exist; it is taken as 0, its natural value).
/// Eigenvalues by <see cref="SymmetricEigen"/> (Jacobi, accurate to a few ulps of ‖D(0)‖).
/// </remarks>
public sealed class TwoLayerConstants
{
    private readonly double[] _imbalanceEigenvalues;

    private TwoLayerConstants(int n, int m, double mu, double k, double initialLoss, double[] imbalanceEigenvalues,
        double sigmaMinWStar, double sigmaMaxWStar, double initialDistance, double sigmaMinTSquared, double sigmaMaxTSquared)
    {
        N = n;
        M = m;
        Mu = mu;
        K = k;
        InitialLoss = initialLoss;
        _imbalanceEigenvalues = imbalanceEigenvalues;
        SigmaMinWStar = sigmaMinWStar;
        SigmaMaxWStar = sigmaMaxWStar;
        InitialDistance = initialDistance;
        SigmaMinTSquared = sigmaMinTSquared;
        SigmaMaxTSquared = sigmaMaxTSquared;

        double[] ev = imbalanceEigenvalues; // descending
        LambdaPlus = Math.Max(ev[0], 0.0);
        LambdaMinus = Math.Max(-ev[^1], 0.0);
        LambdaN = n <= ev.Length ? Math.Max(ev[n - 1], 0.0) : 0.0;
        LambdaMNegative = m <= ev.Length ? Math.Max(-ev[ev.Length - m], 0.0) : 0.0;
        DeltaPlus = LambdaPlus - LambdaN;
        DeltaMinus = LambdaMinus - LambdaMNegative;
        DeltaUnder = LambdaN + LambdaMNegative;
        double ratio = Math.Sqrt(k / mu);
        Beta1 = Math.Max(0.0, sigmaMinWStar - ratio * initialDistance);
        Beta2 = sigmaMaxWStar + ratio * initialDistance;
        double b1 = 4.0 * Beta1 * Beta1;
        Alpha1 = 0.5 * (-DeltaPlus - DeltaMinus
            + Math.Sqrt((DeltaPlus + DeltaUnder) * (DeltaPlus + DeltaUnder) + b1)
            + Math.Sqrt((DeltaMinus + DeltaUnder) * (DeltaMinus + DeltaUnder) + b1));
        double b2 = 4.0 * Beta2 * Beta2;
        Alpha2 = 0.5 * (LambdaPlus + Math.Sqrt(LambdaPlus * LambdaPlus + b2))
            + 0.5 * (LambdaMinus + Math.Sqrt(LambdaMinus * LambdaMinus + b2));
    }

    /// <summary>n: rows of W₁ (inputs).</summary>
    public int N { get; }

    /// <summary>m: rows of W₂ (outputs).</summary>
    public int M { get; }

    /// <summary>μ: ℓ is μ-strongly convex (Assumption 2.1).</summary>
    public double Mu { get; }

    /// <summary>K: ℓ is K-smooth (Assumption 2.1).</summary>
    public double K { get; }

    /// <summary>L(0) (minus ℓ* if ℓ* ≠ 0).</summary>
    public double InitialLoss { get; }

    /// <summary>
    /// The eigenvalues of R·S·Rᵀ, descending: D(0)'s non-zero eigenvalues and min(h, n+m) − rank(D(0)) zeros
    /// (D(0)'s other h − n − m eigenvalues, when h &gt; n + m, are zeros too).
    /// </summary>
    public IReadOnlyList<double> ImbalanceEigenvalues => _imbalanceEigenvalues;

    /// <summary>λ₊ = max(λ_max(D(0)), 0).</summary>
    public double LambdaPlus { get; }

    /// <summary>λ₋ = max(λ_max(−D(0)), 0).</summary>
    public double LambdaMinus { get; }

    /// <summary>max(λ_n(D(0)), 0): the n-th largest eigenvalue of D(0), if positive.</summary>
    public double LambdaN { get; }

    /// <summary>max(λ_m(−D(0)), 0): the m-th largest eigenvalue of −D(0), if positive.</summary>
    public double LambdaMNegative { get; }

    /// <summary>Δ₊ = λ₊ − max(λ_n(D(0)), 0).</summary>
    public double DeltaPlus { get; }

    /// <summary>Δ₋ = λ₋ − max(λ_m(−D(0)), 0).</summary>
    public double DeltaMinus { get; }

    /// <summary>Δ̲ = max(λ_n(D(0)), 0) + max(λ_m(−D(0)), 0) (the imbalance's lower level).</summary>
    public double DeltaUnder { get; }

    /// <summary>σ_min(W*): its min(n, m)-th singular value.</summary>
    public double SigmaMinWStar { get; }

    /// <summary>σ_max(W*).</summary>
    public double SigmaMaxWStar { get; }

    /// <summary>‖W(0) − W*‖_F with W(0) = W₁(0)W₂ᵀ(0).</summary>
    public double InitialDistance { get; }

    /// <summary>β₁ = max(0, σ_min(W*) − √(K/μ)·‖W(0) − W*‖_F) (the margin).</summary>
    public double Beta1 { get; }

    /// <summary>β₂ = σ_max(W*) + √(K/μ)·‖W(0) − W*‖_F.</summary>
    public double Beta2 { get; }

    /// <summary>α₁ of Table 2: Lemma E.3's lower bound on σ²_min(𝒯₀); Theorem 3.2 needs α₁ &gt; 0.</summary>
    public double Alpha1 { get; }

    /// <summary>α₂ of Table 2: Lemma E.3's upper bound on σ²_max(𝒯₀).</summary>
    public double Alpha2 { get; }

    /// <summary>σ²_min(𝒯₀) = λ_min(W₁W₁ᵀ) + λ_min(W₂W₂ᵀ) (Lemma A.2, eq. 29).</summary>
    public double SigmaMinTSquared { get; }

    /// <summary>σ²_max(𝒯₀) = λ_max(W₁W₁ᵀ) + λ_max(W₂W₂ᵀ) (Lemma A.2, eq. 29).</summary>
    public double SigmaMaxTSquared { get; }

    /// <summary>
    /// Table 2 from the initial weights.
    /// </summary>
    /// <param name="w1">W₁(0), row-major n×h.</param>
    /// <param name="w2">W₂(0), row-major m×h.</param>
    /// <param name="n">Rows of W₁.</param>
    /// <param name="m">Rows of W₂.</param>
    /// <param name="h">The width (columns of W₁ and W₂).</param>
    /// <param name="wStar">W* = argmin ℓ, row-major n×m.</param>
    /// <param name="mu">μ &gt; 0 of ℓ.</param>
    /// <param name="k">K ≥ μ of ℓ.</param>
    /// <param name="initialLoss">L(0) ≥ 0 (the excess over min ℓ).</param>
    /// <exception cref="ArgumentException">A size or length does not match, a value is not finite, μ ≤ 0, K &lt; μ or L(0) &lt; 0.</exception>
    public static TwoLayerConstants FromWeights(ReadOnlySpan<double> w1, ReadOnlySpan<double> w2, int n, int m, int h,
        ReadOnlySpan<double> wStar, double mu, double k, double initialLoss)
    {
        ValidateSizes(n, m, h);
        ValidateMatrix(w1, (long)n * h, "W₁(0)", $"n·h = {n}·{h}", nameof(w1));
        ValidateMatrix(w2, (long)m * h, "W₂(0)", $"m·h = {m}·{h}", nameof(w2));
        ValidateMatrix(wStar, (long)n * m, "W*", $"n·m = {n}·{m}", nameof(wStar));
        ValidateScalars(mu, k, initialLoss);

        int p = n + m;
        // Aᵀ (h×(n+m)): column i is row i of [W₁; W₂]. When h < n + m, pad with zero rows (same R·S·Rᵀ spectrum
        // up to zeros), so that the QR has rows ≥ columns.
        int rows = Math.Max(h, p);
        var at = new double[rows * p];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < h; c++)
            {
                at[c * p + i] = w1[i * h + c];
            }
        }
        for (int j = 0; j < m; j++)
        {
            for (int c = 0; c < h; c++)
            {
                at[c * p + n + j] = w2[j * h + c];
            }
        }
        var qr = new HouseholderQr(at, rows, p);
        var rsr = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = i; j < p; j++)
            {
                // (R S Rᵀ)_ij = Σ_l R_il s_l R_jl, s_l = +1 for l < n, −1 otherwise; R upper triangular: l ≥ max(i, j) = j.
                double s = 0.0;
                for (int l = j; l < p; l++)
                {
                    double term = qr.R(i, l) * qr.R(j, l);
                    s += l < n ? term : -term;
                }
                rsr[i * p + j] = s;
                rsr[j * p + i] = s;
            }
        }
        double[] imbalance = SymmetricEigen.Eigenvalues(rsr, p);

        var p1 = new double[n * n];
        var p2 = new double[m * m];
        Gram.OuterProduct(w1, n, h, p1);
        Gram.OuterProduct(w2, m, h, p2);
        var w0 = new double[n * m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0.0;
                for (int c = 0; c < h; c++)
                {
                    s += w1[i * h + c] * w2[j * h + c];
                }
                w0[i * m + j] = s;
            }
        }
        return Finish(n, m, p1, p2, w0, imbalance, wStar, mu, k, initialLoss);
    }

    /// <summary>
    /// Table 2 from the small Gram matrices of the initial weights, which the runtime's full step accumulates:
    /// P = W₁W₁ᵀ (n×n), Q = W₂W₂ᵀ (m×m) and W(0) = W₁W₂ᵀ (n×m). D(0)'s non-zero eigenvalues are those of
    /// G^½·S·G^½ with G = [P, W(0); W(0)ᵀ, Q] = AAᵀ. Less accurate than <see cref="FromWeights"/> when G is
    /// ill-conditioned (errors ≈ unit roundoff·‖G‖·√κ(G) rather than unit roundoff·‖G‖); exact enough when
    /// h ≥ n + m and [W₁; W₂] is well conditioned, the setting where α₁ &gt; 0 (Lemma 3.1).
    /// </summary>
    /// <param name="w1w1t">P = W₁(0)W₁(0)ᵀ, row-major n×n, symmetric.</param>
    /// <param name="w2w2t">Q = W₂(0)W₂(0)ᵀ, row-major m×m, symmetric.</param>
    /// <param name="w1w2t">W(0) = W₁(0)W₂(0)ᵀ, row-major n×m.</param>
    /// <param name="n">Rows of W₁.</param>
    /// <param name="m">Rows of W₂.</param>
    /// <param name="wStar">W* = argmin ℓ, row-major n×m.</param>
    /// <param name="mu">μ &gt; 0 of ℓ.</param>
    /// <param name="k">K ≥ μ of ℓ.</param>
    /// <param name="initialLoss">L(0) ≥ 0 (the excess over min ℓ).</param>
    /// <exception cref="ArgumentException">A size or length does not match, a value is not finite, a Gram matrix is not symmetric, μ ≤ 0, K &lt; μ or L(0) &lt; 0.</exception>
    public static TwoLayerConstants FromGrams(ReadOnlySpan<double> w1w1t, ReadOnlySpan<double> w2w2t, ReadOnlySpan<double> w1w2t,
        int n, int m, ReadOnlySpan<double> wStar, double mu, double k, double initialLoss)
    {
        ValidateSizes(n, m, 1);
        ValidateMatrix(w1w1t, (long)n * n, "W₁W₁ᵀ", $"n·n = {n}·{n}", nameof(w1w1t));
        ValidateMatrix(w2w2t, (long)m * m, "W₂W₂ᵀ", $"m·m = {m}·{m}", nameof(w2w2t));
        ValidateMatrix(w1w2t, (long)n * m, "W₁W₂ᵀ", $"n·m = {n}·{m}", nameof(w1w2t));
        ValidateMatrix(wStar, (long)n * m, "W*", $"n·m = {n}·{m}", nameof(wStar));
        ValidateScalars(mu, k, initialLoss);

        int p = n + m;
        var g = new double[p * p];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                g[i * p + j] = w1w1t[i * n + j];
            }
            for (int j = 0; j < m; j++)
            {
                g[i * p + n + j] = w1w2t[i * m + j];
                g[(n + j) * p + i] = w1w2t[i * m + j];
            }
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                g[(n + i) * p + n + j] = w2w2t[i * m + j];
            }
        }
        SymmetricEigenDecomposition eg;
        try
        {
            eg = SymmetricEigen.Decompose(g, p);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("The Gram matrices W₁W₁ᵀ and W₂W₂ᵀ must be symmetric: " + e.Message, nameof(w1w1t), e);
        }
        // G = V Λ Vᵀ; G^½ S G^½ = V (Λ^½ Vᵀ S V Λ^½) Vᵀ, so its eigenvalues are those of Λ^½ Vᵀ S V Λ^½.
        var root = new double[p];
        for (int a = 0; a < p; a++)
        {
            root[a] = Math.Sqrt(Math.Max(eg.Values[a], 0.0));
        }
        ReadOnlySpan<double> vt = eg.Vectors; // row a = eigenvector a
        var mat = new double[p * p];
        for (int a = 0; a < p; a++)
        {
            for (int b = a; b < p; b++)
            {
                double s = 0.0;
                for (int l = 0; l < p; l++)
                {
                    double term = vt[a * p + l] * vt[b * p + l];
                    s += l < n ? term : -term;
                }
                s *= root[a] * root[b];
                mat[a * p + b] = s;
                mat[b * p + a] = s;
            }
        }
        double[] imbalance = SymmetricEigen.Eigenvalues(mat, p);
        return Finish(n, m, w1w1t.ToArray(), w2w2t.ToArray(), w1w2t.ToArray(), imbalance, wStar, mu, k, initialLoss);
    }

    /// <summary>
    /// Table 2 for the squared loss ℓ(W) = ½‖XW − Y‖²_F of the paper's experiments (eq. 22): μ = σ²_min(X),
    /// K = σ²_max(X), W* the least-squares solution (Householder QR), L(0) − ℓ* from the data.
    /// </summary>
    /// <param name="x">X, row-major s×n, full column rank (s ≥ n), else μ = 0.</param>
    /// <param name="y">Y, row-major s×m.</param>
    /// <param name="s">Rows of X and Y (samples).</param>
    /// <param name="w1">W₁(0), row-major n×h.</param>
    /// <param name="w2">W₂(0), row-major m×h.</param>
    /// <param name="n">Columns of X, rows of W₁.</param>
    /// <param name="m">Columns of Y, rows of W₂.</param>
    /// <param name="h">The width.</param>
    /// <returns>The constants; <see cref="InitialLoss"/> is L(0) − ℓ*, ℓ* = min ℓ = ½‖XW* − Y‖² (0 when s = n).</returns>
    /// <exception cref="ArgumentException">A size or length does not match, a value is not finite, or X is not of full column rank.</exception>
    public static TwoLayerConstants ForSquaredLoss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int s,
        ReadOnlySpan<double> w1, ReadOnlySpan<double> w2, int n, int m, int h)
    {
        ValidateSizes(n, m, h);
        ArgumentOutOfRangeException.ThrowIfLessThan(s, 1);
        ValidateMatrix(x, (long)s * n, "X", $"s·n = {s}·{n}", nameof(x));
        ValidateMatrix(y, (long)s * m, "Y", $"s·m = {s}·{m}", nameof(y));
        ValidateMatrix(w1, (long)n * h, "W₁(0)", $"n·h = {n}·{h}", nameof(w1));
        ValidateMatrix(w2, (long)m * h, "W₂(0)", $"m·h = {m}·{h}", nameof(w2));
        if (s < n)
        {
            throw new ArgumentException($"X is {s}×{n} with s < n: ℓ(W) = ½‖XW − Y‖² is not strongly convex (μ = 0), Assumption 2.1 fails.", nameof(x));
        }
        var xtx = new double[n * n];
        Gram.InnerProduct(x, s, n, xtx);
        double[] ev = SymmetricEigen.Eigenvalues(xtx, n);
        var qr = new HouseholderQr(x, s, n);
        if (!(ev[^1] > 0.0) || qr.DiagonalRatio() <= 64 * SymmetricEigen.UnitRoundoff)
        {
            throw new ArgumentException($"X is rank deficient (σ²_min(X) = {ev[^1]:G6}): ℓ(W) = ½‖XW − Y‖² is not strongly convex (μ = 0), Assumption 2.1 fails.", nameof(x));
        }
        var (wStar, residual) = qr.SolveLeastSquares(y, m);
        // L(0) = ½‖X W₁W₂ᵀ − Y‖²; the excess over ℓ* = ½·residual.
        var w0 = new double[n * m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double acc = 0.0;
                for (int c = 0; c < h; c++)
                {
                    acc += w1[i * h + c] * w2[j * h + c];
                }
                w0[i * m + j] = acc;
            }
        }
        // Excess loss ½‖X(W(0) − W*)‖² (exact identity for least squares; no cancellation against ℓ*).
        double excess = 0.0;
        for (int r = 0; r < s; r++)
        {
            for (int j = 0; j < m; j++)
            {
                double acc = 0.0;
                for (int i = 0; i < n; i++)
                {
                    acc += x[r * n + i] * (w0[i * m + j] - wStar[i * m + j]);
                }
                excess += acc * acc;
            }
        }
        _ = residual;
        return FromWeights(w1, w2, n, m, h, wStar, ev[^1], ev[0], 0.5 * excess);
    }

    private static TwoLayerConstants Finish(int n, int m, double[] p1, double[] p2, double[] w0, double[] imbalance,
        ReadOnlySpan<double> wStar, double mu, double k, double initialLoss)
    {
        double[] e1 = SymmetricEigen.Eigenvalues(p1, n);
        double[] e2 = SymmetricEigen.Eigenvalues(p2, m);
        var (sigmaMinWStar, sigmaMaxWStar) = ExtremeSingularValues(wStar, n, m);
        double distance2 = 0.0;
        for (int i = 0; i < w0.Length; i++)
        {
            double dlt = w0[i] - wStar[i];
            distance2 += dlt * dlt;
        }
        return new TwoLayerConstants(n, m, mu, k, initialLoss, imbalance,
            sigmaMinWStar, sigmaMaxWStar, Math.Sqrt(distance2),
            Math.Max(e1[^1], 0.0) + Math.Max(e2[^1], 0.0), e1[0] + e2[0]);
    }

    /// <summary>
    /// The largest and the min(n, m)-th singular values of a row-major n×m matrix by one-sided Jacobi (Hestenes)
    /// rotations of the columns of A (or Aᵀ, whichever is tall): each singular value to high relative accuracy,
    /// so a small σ_min(W*) is not lost to the squaring of a Gram matrix (error ≈ unit roundoff·κ²).
    /// </summary>
    private static (double Min, double Max) ExtremeSingularValues(ReadOnlySpan<double> a, int n, int m)
    {
        bool tall = n >= m;
        int rows = tall ? n : m, cols = tall ? m : n;
        var u = new double[rows * cols]; // column-major: column j at j·rows
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                if (tall)
                {
                    u[j * rows + i] = a[i * m + j];
                }
                else
                {
                    u[i * rows + j] = a[i * m + j];
                }
            }
        }
        for (int sweep = 0; sweep < 64; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < cols - 1; p++)
            {
                for (int q = p + 1; q < cols; q++)
                {
                    Span<double> cp = u.AsSpan(p * rows, rows), cq = u.AsSpan(q * rows, rows);
                    double alpha = 0.0, beta = 0.0, gamma = 0.0;
                    for (int i = 0; i < rows; i++)
                    {
                        alpha += cp[i] * cp[i];
                        beta += cq[i] * cq[i];
                        gamma += cp[i] * cq[i];
                    }
                    if (gamma == 0.0 || Math.Abs(gamma) <= SymmetricEigen.UnitRoundoff * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2.0 * gamma);
                    double t = Math.Sign(zeta == 0.0 ? 1.0 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1.0 + zeta * zeta));
                    double c = 1.0 / Math.Sqrt(1.0 + t * t), s = c * t;
                    for (int i = 0; i < rows; i++)
                    {
                        double x = cp[i], y = cq[i];
                        cp[i] = c * x - s * y;
                        cq[i] = s * x + c * y;
                    }
                }
            }
            if (!rotated)
            {
                break;
            }
        }
        double min = double.PositiveInfinity, max = 0.0;
        for (int j = 0; j < cols; j++)
        {
            double norm2 = 0.0;
            for (int i = 0; i < rows; i++)
            {
                norm2 += u[j * rows + i] * u[j * rows + i];
            }
            double sigma = Math.Sqrt(norm2);
            min = Math.Min(min, sigma);
            max = Math.Max(max, sigma);
        }
        return (min, max);
    }

    private static void ValidateSizes(int n, int m, int h)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1);
    }

    private static void ValidateMatrix(ReadOnlySpan<double> values, long expected, string what, string shape, string parameter)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException($"{what} must hold {shape} = {expected} values (row-major) but holds {values.Length}.", parameter);
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{what} has a non-finite entry {values[i]} at index {i}.", parameter);
            }
        }
    }

    internal static void ValidateScalars(double mu, double k, double initialLoss)
    {
        if (!(mu > 0.0) || !double.IsFinite(mu))
        {
            throw new ArgumentException($"μ = {mu:R}: Assumption 2.1 needs a μ-strongly convex ℓ with finite μ > 0 (a loss without μ > 0, DSLOPT006, has no local-PL certificate).", nameof(mu));
        }
        if (!(k >= mu) || !double.IsFinite(k))
        {
            throw new ArgumentException($"K = {k:R} with μ = {mu:R}: the smoothness constant must be finite and at least μ.", nameof(k));
        }
        if (!(initialLoss >= 0.0) || !double.IsFinite(initialLoss))
        {
            throw new ArgumentException($"L(0) = {initialLoss:R}: the initial loss must be finite and non-negative (min ℓ = 0, Assumption 2.2).", nameof(initialLoss));
        }
    }
}
