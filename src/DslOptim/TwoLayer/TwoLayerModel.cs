using System;
using System.Numerics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// Gradient descent (eq. 7) on a two-layer linear network L(W1, W2) = Σ_ij ℓ((X W1 W2ᵀ − Y)_ij) (local-PL paper,
/// Problem 2 and eq. 22), with the local-PL certificate of Theorem 3.1 at every step. Generated
/// <c>Step(TwoLayerProblem&lt;T&gt;, …)</c> methods call it with the declared loss.
/// </summary>
/// <remarks>
/// <para>One step, at the weights (W1, W2) it starts from, with W = W1W2ᵀ, W1W1ᵀ and W2W2ᵀ known from the previous
/// step's pass: R = XW − Y, L = Σ ℓ(R), G = ∇ℓ(W) = Xᵀℓ′(R) (all n×m or s×m: small); the certificate from the Gram
/// matrices (Lemma A.2) and ‖∇L‖² = ⟨G, W1W1ᵀG + G W2W2ᵀ⟩; η_t from the schedule or rule; then ONE read-modify-write
/// pass over W1 and W2 in column items: ∇W1 = G W2, ∇W2 = Gᵀ W1 (eq. 8), W1 −= η∇W1, W2 −= η∇W2; then the products
/// W1W2ᵀ, W1W1ᵀ, W2W2ᵀ of the updated weights for the next step — in closed form from the small matrices
/// (<see cref="TwoLayerProducts"/>), or, every <see cref="TwoLayerWorkspace{T}.RefreshInterval"/>-th step, as dot
/// products inside the pass, which re-anchors them to the stored weights.</para>
/// <para>Determinism: items depend only on the shapes; each is computed by one thread; partials are added in item
/// order. Bitwise the same on any number of threads. No allocation per step (the helper threads start on first need).</para>
/// <para>Trial losses for line searches come in closed form: W(η) = W − η(W1W1ᵀG + G W2W2ᵀ) + η² G Wᵀ G is the
/// product of the trial weights (eq. 47), so L at any η costs O(s·n·m) and no pass.</para>
/// </remarks>
public static class TwoLayerModel
{
    /// <summary>One GD step with a fixed η_t (e.g. from a schedule).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TLoss">ℓ and ℓ′, a struct compiled into the loop.</typeparam>
    /// <param name="problem">X (s×n) and Y (s×m).</param>
    /// <param name="w1">W1, row-major n×h, updated in place.</param>
    /// <param name="w2">W2, row-major m×h, updated in place.</param>
    /// <param name="workspace">Buffers for the problem and h.</param>
    /// <param name="loss">The loss operator.</param>
    /// <param name="curvature">inf ℓ″ and sup ℓ″ of the loss (for μ and K).</param>
    /// <param name="stepSize">η_t, finite and ≥ 0.</param>
    /// <param name="t">The step index, 1 for the first step (the paper's iterate t − 1).</param>
    /// <returns>The certificate at the weights the step started from, with η_t.</returns>
    /// <exception cref="ArgumentNullException">The problem or the workspace is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match (nothing is written).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> &lt; 1, or η is negative or not finite (nothing is written).</exception>
    public static TwoLayerCertificate Step<T, TLoss>(
        TwoLayerProblem<T> problem, Span<T> w1, Span<T> w2, TwoLayerWorkspace<T> workspace, in TLoss loss, in LossCurvature curvature, double stepSize, long t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
        => StepCore(problem, w1, w2, workspace, loss, curvature, null, stepSize, t);

    /// <summary>One GD step with η_t chosen by <paramref name="stepSize"/> from the step's certificate.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TLoss">ℓ and ℓ′, a struct compiled into the loop.</typeparam>
    /// <param name="problem">X (s×n) and Y (s×m).</param>
    /// <param name="w1">W1, row-major n×h, updated in place.</param>
    /// <param name="w2">W2, row-major m×h, updated in place.</param>
    /// <param name="workspace">Buffers for the problem and h.</param>
    /// <param name="loss">The loss operator.</param>
    /// <param name="curvature">inf ℓ″ and sup ℓ″ of the loss (for μ and K).</param>
    /// <param name="stepSize">The rule: constant, eq. (19) with ρ or ρ̄, or backtracking.</param>
    /// <param name="t">The step index, 1 for the first step.</param>
    /// <returns>The certificate at the weights the step started from, with η_t.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match (nothing is written).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> &lt; 1, or the rule returned a negative or non-finite η (nothing is written).</exception>
    /// <exception cref="InvalidOperationException">The rule needs μ or K and the loss does not provide it (nothing is written).</exception>
    public static TwoLayerCertificate Step<T, TLoss>(
        TwoLayerProblem<T> problem, Span<T> w1, Span<T> w2, TwoLayerWorkspace<T> workspace, in TLoss loss, in LossCurvature curvature, TwoLayerStepSize stepSize, long t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        ArgumentNullException.ThrowIfNull(stepSize);
        return StepCore(problem, w1, w2, workspace, loss, curvature, stepSize, double.NaN, t);
    }

    /// <summary>The certificate at the current weights without moving them (e.g. for the last iterate); no pass when the workspace holds their products.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TLoss">ℓ and ℓ′.</typeparam>
    /// <param name="problem">X and Y.</param>
    /// <param name="w1">W1 (n×h).</param>
    /// <param name="w2">W2 (m×h).</param>
    /// <param name="workspace">Buffers.</param>
    /// <param name="loss">The loss operator.</param>
    /// <param name="curvature">The loss's curvature bounds.</param>
    /// <returns>The certificate (Step 0, StepSize NaN).</returns>
    /// <exception cref="ArgumentNullException">The problem or the workspace is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static TwoLayerCertificate Certify<T, TLoss>(
        TwoLayerProblem<T> problem, ReadOnlySpan<T> w1, ReadOnlySpan<T> w2, TwoLayerWorkspace<T> workspace, in TLoss loss, in LossCurvature curvature)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        Validate(problem, w1, w2, workspace);
        EnsureProducts(w1, w2, workspace);
        return Evaluate(problem, workspace, loss, curvature, 0, double.NaN);
    }

    private static TwoLayerCertificate StepCore<T, TLoss>(
        TwoLayerProblem<T> problem, Span<T> w1, Span<T> w2, TwoLayerWorkspace<T> workspace, in TLoss loss, in LossCurvature curvature,
        TwoLayerStepSize? rule, double eta, long t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        Validate(problem, w1, w2, workspace);
        ArgumentOutOfRangeException.ThrowIfLessThan(t, 1L);
        if (rule is null)
        {
            CheckStepSize(eta);
        }

        EnsureProducts(w1, w2, workspace);
        TwoLayerCertificate before = Evaluate(problem, workspace, loss, curvature, t, double.NaN);
        if (rule is not null)
        {
            var probe = new TwoLayerTrialProbe<T, TLoss>(problem, workspace, loss);
            eta = rule.Choose(before, ref probe);
            CheckStepSize(eta);
        }

        UpdatePass(w1, w2, workspace, eta);
        return new TwoLayerCertificate(
            t, before.Loss, before.GradientNorm, before.SigmaMinSquaredW1, before.SigmaMaxSquaredW1, before.SigmaMinSquaredW2,
            before.SigmaMaxSquaredW2, before.SigmaMaxW, curvature, problem.SigmaMinSquared, problem.SigmaMaxSquared, eta);
    }

    private static void CheckStepSize(double eta)
    {
        if (!(eta >= 0.0) || !double.IsFinite(eta))
        {
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "The step size η_t must be finite and non-negative.");
        }
    }

    private static void Validate<T>(TwoLayerProblem<T> problem, ReadOnlySpan<T> w1, ReadOnlySpan<T> w2, TwoLayerWorkspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(workspace);
        if (!workspace.Fits(problem))
        {
            throw new ArgumentException(
                $"The workspace was made for s = {workspace.Samples}, n = {workspace.Inputs}, m = {workspace.Outputs} but the problem has s = {problem.S}, n = {problem.N}, m = {problem.M}.",
                nameof(workspace));
        }

        long h = workspace.Hidden;
        if (w1.Length != problem.N * h)
        {
            throw new ArgumentException($"w1 must hold n·h = {problem.N}·{h} = {problem.N * h} values (W1 row-major, {problem.N}×{h}) but holds {w1.Length}.", nameof(w1));
        }

        if (w2.Length != problem.M * h)
        {
            throw new ArgumentException($"w2 must hold m·h = {problem.M}·{h} = {problem.M * h} values (W2 row-major, {problem.M}×{h}) but holds {w2.Length}.", nameof(w2));
        }
    }

    private static void EnsureProducts<T>(ReadOnlySpan<T> w1, ReadOnlySpan<T> w2, TwoLayerWorkspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!workspace.HasProducts || !workspace.FingerprintMatches(w1, w2))
        {
            Pass(w1, w2, workspace, update: false, products: true);
            Combine(workspace);
            workspace.StepsSinceRefresh = 0;
            workspace.HasProducts = true;
            workspace.TakeFingerprint(w1, w2);
        }
    }

    /// <summary>
    /// The step's pass with E = −η·∇ℓ: every <see cref="TwoLayerWorkspace{T}.RefreshInterval"/>-th step (counted by the
    /// workspace since its products were last formed exactly) forms the new products in the pass, the others update
    /// them in closed form (<see cref="TwoLayerProducts"/>).
    /// </summary>
    private static void UpdatePass<T>(Span<T> w1, Span<T> w2, TwoLayerWorkspace<T> ws, double eta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] g = ws.LossGradient;
        T[] e = ws.StepMatrix;
        for (int i = 0; i < g.Length; i++)
        {
            e[i] = T.CreateTruncating(-eta * g[i]);
        }

        bool exact = ws.StepsSinceRefresh + 1 >= ws.RefreshInterval;
        Pass(w1, w2, ws, update: true, products: exact);
        if (exact)
        {
            Combine(ws);
            ws.StepsSinceRefresh = 0;
        }
        else
        {
            TwoLayerProducts.Update(ws);
            ws.StepsSinceRefresh++;
        }

        ws.HasProducts = true;
        ws.TakeFingerprint(w1, w2);
    }

    /// <summary>The pass: with <paramref name="update"/>, the step with the workspace's E (nothing written to the weights without it); with <paramref name="products"/>, the items' partial products of the resulting weights.</summary>
    private static unsafe void Pass<T>(ReadOnlySpan<T> w1, ReadOnlySpan<T> w2, TwoLayerWorkspace<T> ws, bool update, bool products)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ws.Inputs, m = ws.Outputs;
        long work = (long)ws.Hidden * ((update ? 2L * n * m : 0L) + (products ? (long)n * m + ((long)n * n / 2) + ((long)m * m / 2) : 0L));
        int threads = work >= TwoLayerWorkspace<T>.ParallelWork ? ws.Threads : 1;
        TwoLayerPassJob<T> job = ws.Pass;
        fixed (T* p1 = w1)
        fixed (T* p2 = w2)
        fixed (T* e = ws.StepMatrix)
        {
            job.Prepare(p1, p2, e, update, products);
            try
            {
                if (threads > 1 && ws.Items > 1)
                {
                    ChunkWorkers.Run(job, ws.Items, threads);
                }
                else
                {
                    for (int i = 0; i < ws.Items; i++)
                    {
                        job.Run(i);
                    }
                }
            }
            finally
            {
                job.Release();
            }
        }
    }

    /// <summary>Adds the items' partial products in item order; mirrors the Grams' upper triangles.</summary>
    private static void Combine<T>(TwoLayerWorkspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ws.Inputs, m = ws.Outputs;
        double[] p = ws.Product, a = ws.Gram1, b = ws.Gram2;
        Array.Clear(p);
        Array.Clear(a);
        Array.Clear(b);
        int nm = n * m, nn = n * n;
        foreach (double[] partial in ws.Partials)
        {
            for (int e = 0; e < nm; e++)
            {
                p[e] += partial[e];
            }

            for (int i = 0; i < n; i++)
            {
                for (int k = i; k < n; k++)
                {
                    a[(i * n) + k] += partial[nm + (i * n) + k];
                }
            }

            for (int i = 0; i < m; i++)
            {
                for (int k = i; k < m; k++)
                {
                    b[(i * m) + k] += partial[nm + nn + (i * m) + k];
                }
            }
        }

        Mirror(a, n);
        Mirror(b, m);
    }

    private static void Mirror(double[] a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int k = i + 1; k < n; k++)
            {
                a[(k * n) + i] = a[(i * n) + k];
            }
        }
    }

    /// <summary>L, G and the certificate at the weights whose products the workspace holds.</summary>
    private static TwoLayerCertificate Evaluate<T, TLoss>(
        TwoLayerProblem<T> problem, TwoLayerWorkspace<T> ws, in TLoss loss, in LossCurvature curvature, long t, double eta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        int s = problem.S, n = problem.N, m = problem.M;
        T[] x = problem.XArray, y = problem.YArray;
        double[] w = ws.Product, scores = ws.Scores, g = ws.LossGradient;

        // X in double: the caller's array itself when T is double (the problem keeps it, not a copy), else widened.
        double[] xd;
        if (typeof(T) == typeof(double))
        {
            xd = (double[])(object)x;
        }
        else
        {
            xd = ws.InputsScratch;
            for (int e = 0; e < xd.Length; e++)
            {
                xd[e] = double.CreateTruncating(x[e]);
            }
        }

        // R = XW − Y (XW by the register-tiled GEMM into Scores), L = Σ ℓ(R), S = ℓ′(R) in place; then G = Xᵀ S (n×m): ∇ℓ(W).
        double value = 0.0;
        unsafe
        {
            fixed (double* px = xd)
            fixed (double* pw = w)
            fixed (double* ps = scores)
            fixed (double* pg = g)
            {
                Gemm.Block(px, n, 1, pw, m, ps, m, 0, s, 0, m, n);
                for (int e = 0; e < s * m; e++)
                {
                    T rt = T.CreateTruncating(ps[e] - double.CreateTruncating(y[e]));
                    value += double.CreateTruncating(loss.Value(rt));
                    ps[e] = double.CreateTruncating(loss.Derivative(rt));
                }

                Gemm.Block(px, 1, n, ps, m, pg, m, 0, n, 0, m, s);
            }
        }

        // Direction = W1W1ᵀ G + G W2W2ᵀ; ‖∇L‖² = ‖G W2‖² + ‖Gᵀ W1‖² = ⟨G, Direction⟩ (38).
        double[] a = ws.Gram1, b = ws.Gram2, direction = ws.Direction;
        double squaredNorm = 0.0;
        int k2 = Math.Min(n, m);
        double[] ew = ws.EigenW;
        unsafe
        {
            fixed (double* pa = a)
            fixed (double* pb = b)
            fixed (double* pg = g)
            fixed (double* pd = direction)
            fixed (double* pgb = ws.ClosedForm)
            fixed (double* pw = w)
            fixed (double* pew = ew)
            {
                Gemm.Block(pa, n, 1, pg, m, pd, m, 0, n, 0, m, n);      // W1W1ᵀ G
                Gemm.Block(pg, m, 1, pb, m, pgb, m, 0, n, 0, m, m);     // G W2W2ᵀ
                for (int e = 0; e < n * m; e++)
                {
                    direction[e] += pgb[e];
                    squaredNorm += direction[e] * g[e];
                }

                // The smaller of W Wᵀ (n ≤ m) and Wᵀ W, for σ_max(W): W (n×m) times its transpose (formed in the scratch).
                double* wt = pgb;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        wt[(j * n) + i] = w[(i * m) + j];
                    }
                }

                if (n <= m)
                {
                    Gemm.Block(pw, m, 1, wt, n, pew, k2, 0, k2, 0, k2, m);  // W Wᵀ
                }
                else
                {
                    Gemm.Block(wt, n, 1, pw, m, pew, k2, 0, k2, 0, k2, n);  // Wᵀ W
                }
            }
        }

        for (int i = 0; i < k2; i++)
        {
            for (int j = i + 1; j < k2; j++)
            {
                ew[(j * k2) + i] = ew[(i * k2) + j];
            }
        }

        ws.HasCurvature = false;

        // Lemma A.2: the extreme eigenvalues of W1W1ᵀ and W2W2ᵀ; σ_max(W) from the smaller of WWᵀ, WᵀW (tridiagonal
        // reduction and bisection: see SymmetricExtremes for why not the full Jacobi diagonalization).
        Array.Copy(a, ws.Eigen1, a.Length);
        var (min1, max1) = SymmetricExtremes.Compute(ws.Eigen1, n, ws.EigenScratch);
        Array.Copy(b, ws.Eigen2, b.Length);
        var (min2, max2) = SymmetricExtremes.Compute(ws.Eigen2, m, ws.EigenScratch);
        var (_, maxW) = SymmetricExtremes.Compute(ew, k2, ws.EigenScratch);
        return new TwoLayerCertificate(
            t, value, Math.Sqrt(Math.Max(squaredNorm, 0.0)), Math.Max(min1, 0.0), Math.Max(max1, 0.0), Math.Max(min2, 0.0), Math.Max(max2, 0.0),
            Math.Sqrt(Math.Max(maxW, 0.0)), curvature, problem.SigmaMinSquared, problem.SigmaMaxSquared, eta);
    }

    /// <summary>L at the trial weights W1 − η∇W1, W2 − η∇W2, from W(η) = W − η·Direction + η²·G Wᵀ G (47).</summary>
    internal static double TrialLoss<T, TLoss>(TwoLayerProblem<T> problem, TwoLayerWorkspace<T> ws, in TLoss loss, double eta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        int s = problem.S, n = problem.N, m = problem.M;
        double[] w = ws.Product, g = ws.LossGradient, curvature = ws.Curvature, small = ws.Small;
        if (!ws.HasCurvature)
        {
            // Small = Wᵀ G (m×m), then Curvature = G · Small (n×m).
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double sum = 0.0;
                    for (int p = 0; p < n; p++)
                    {
                        sum += w[(p * m) + i] * g[(p * m) + j];
                    }

                    small[(i * m) + j] = sum;
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double sum = 0.0;
                    for (int k = 0; k < m; k++)
                    {
                        sum += g[(i * m) + k] * small[(k * m) + j];
                    }

                    curvature[(i * m) + j] = sum;
                }
            }

            ws.HasCurvature = true;
        }

        double[] direction = ws.Direction;
        for (int e = 0; e < n * m; e++)
        {
            small[e] = w[e] - (eta * direction[e]) + (eta * eta * curvature[e]);
        }

        T[] x = problem.XArray, y = problem.YArray;
        double value = 0.0;
        for (int i = 0; i < s; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double r = -double.CreateTruncating(y[(i * m) + j]);
                for (int p = 0; p < n; p++)
                {
                    r += double.CreateTruncating(x[(i * n) + p]) * small[(p * m) + j];
                }

                value += double.CreateTruncating(loss.Value(T.CreateTruncating(r)));
            }
        }

        return value;
    }
}

/// <summary>The trial loss of a two-layer step, for line searches.</summary>
internal readonly struct TwoLayerTrialProbe<T, TLoss>(TwoLayerProblem<T> problem, TwoLayerWorkspace<T> workspace, TLoss loss) : ILineSearchProbe
    where T : unmanaged, IFloatingPointIeee754<T>
    where TLoss : struct, ILossOperator<T>
{
    public double LossAfterStep(double eta) => TwoLayerModel.TrialLoss(problem, workspace, loss, eta);
}
