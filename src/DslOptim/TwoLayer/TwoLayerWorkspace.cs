using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// Everything a two-layer step needs besides the problem and the weights, allocated once: the small matrices the
/// next step reads (W = W1 W2ᵀ, W1 W1ᵀ, W2 W2ᵀ of the current weights, left by the previous step),
/// the gradient of ℓ, per-item partial products, eigen-solver scratch and the thread count.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
/// <remarks>
/// <para>The columns of W1 and W2 (the hidden dimension h) are cut into <see cref="Items"/> items of
/// <see cref="ItemWidth"/> columns, a function of (n, m, h) and the element size only — never of the thread count —
/// and the items' partial products are added in item order, so results are bitwise the same on any number of threads.</para>
/// <para>Products and weights. After a step the workspace holds the products of the weights that step wrote. If the
/// weights are changed in any other way (a new initialization, a checkpoint restored), call <see cref="Invalidate"/>:
/// the next step then recomputes the products in one read-only pass. (A fingerprint of a few entries of W1 and W2
/// also triggers the recomputation when it sees a change, but it is a safety net, not a guarantee.)</para>
/// <para>Products between passes. Only every <see cref="RefreshInterval"/>-th step forms the products by dot products in
/// its pass; the steps in between update them in closed form from the small matrices alone (with E = −η∇ℓ as applied,
/// W1' = W1 + E W2 and W2' = W2 + Eᵀ W1 give W1'W2'ᵀ = P + AE + EB + EPᵀE, W1'W1'ᵀ = A + PEᵀ + EPᵀ + EBEᵀ,
/// W2'W2'ᵀ = B + PᵀE + EᵀP + EᵀAE with P = W1W2ᵀ, A = W1W1ᵀ, B = W2W2ᵀ), O(n·m·(n + m)) instead of
/// O((n·m + n² + m²)·h). The rounding of the closed form drifts from the products of the stored weights by a few ulps
/// per step; the periodic exact products bound that drift. Which steps refresh depends only on how many steps this
/// workspace has taken since its products were last formed exactly, never on the thread count.</para>
/// <para>Memory: per item n·m + n² + m² doubles of partial products, plus O(s·m + n² + m² + n·m) small buffers. Not
/// thread-safe: one call at a time per workspace.</para>
/// </remarks>
public sealed class TwoLayerWorkspace<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The largest n or m accepted (the small dimensions; blocks of the pass keep (n + m) columns on the stack).</summary>
    public const int MaxSmallDimension = 512;

    /// <summary>Columns of a sub-block of the gradient-and-update phase of an item (whose ∇W1 and ∇W2 stay on the stack).</summary>
    internal const int MaxSubWidth = 64;

    /// <summary>
    /// The packed copy of a sub-block's n + m rows: at most this many bytes of columns (plus the stride's padding), so
    /// <see cref="SubWidth"/> is 64 columns up to n + m = 128 in double. Not an L1-sized 16 KiB: at n = m = 64 that gave
    /// 16 columns (128 bytes per row and sub-block) and the step took 12–15% more thread CPU time than with 64 columns
    /// (72 KiB packed, read from L2 by the tiles); 128 columns gained nothing more. Results do not depend on it.
    /// </summary>
    internal const int SubBytes = 64 * 1024;

    /// <summary>An item's W1 and W2 columns should stay in L2 between the update and the product phase: this many bytes at most.</summary>
    internal const int ItemBytes = 256 * 1024;

    /// <summary>At least this many items when h allows (for load balance), each at least <see cref="MinItemWidth"/> columns.</summary>
    internal const int TargetItems = 16;

    /// <summary>The narrowest item, in columns.</summary>
    internal const int MinItemWidth = 64;

    /// <summary>Below this many multiply-adds per pass, a step runs on the calling thread only.</summary>
    internal const long ParallelWork = 1L << 16;

    /// <summary>The default <see cref="RefreshInterval"/>: every 16th step forms the products exactly.</summary>
    public const int DefaultRefreshInterval = 16;

    private readonly T[] _fingerprint = new T[6];

    /// <summary>Allocates a workspace for <paramref name="problem"/> and weights with <paramref name="hidden"/> columns.</summary>
    /// <param name="problem">The problem (its s, n and m are fixed for the workspace's life).</param>
    /// <param name="hidden">h, the width of the hidden layer: W1 is n×h, W2 is m×h. At least 1.</param>
    /// <param name="threads">Threads a step may use, the calling thread included; 0 (the default) means
    /// <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</param>
    /// <param name="refreshInterval">Every this many steps, the pass forms the products exactly (dot products over h);
    /// the steps between update them in closed form (see the remarks). 1 forms them exactly at every step.</param>
    /// <exception cref="ArgumentNullException"><paramref name="problem"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hidden"/> or <paramref name="refreshInterval"/> is less than 1 or <paramref name="threads"/> is negative.</exception>
    /// <exception cref="ArgumentException">n·h or m·h exceeds the largest array.</exception>
    public TwoLayerWorkspace(TwoLayerProblem<T> problem, int hidden, int threads = 0, int refreshInterval = DefaultRefreshInterval)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(refreshInterval, 1);
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be 0 (all processors) or positive but is {threads}.");
        }

        int s = problem.S, n = problem.N, m = problem.M;
        if ((long)Math.Max(n, m) * hidden > Array.MaxLength)
        {
            throw new ArgumentException($"W1 (n×h = {n}×{hidden}) or W2 (m×h = {m}×{hidden}) would exceed the largest array.", nameof(hidden));
        }

        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        RefreshInterval = refreshInterval;
        Samples = s;
        Inputs = n;
        Outputs = m;
        Hidden = hidden;

        int size = Unsafe.SizeOf<T>();
        long cacheWidth = Math.Max(MinItemWidth, ItemBytes / ((long)(n + m) * size) / MinItemWidth * MinItemWidth);
        long balanced = Math.Max(MinItemWidth, ((hidden + TargetItems - 1) / TargetItems + MinItemWidth - 1) / MinItemWidth * MinItemWidth);
        ItemWidth = (int)Math.Min(cacheWidth, balanced);
        Items = (hidden + ItemWidth - 1) / ItemWidth;
        SubWidth = (int)Math.Min(MaxSubWidth, Math.Max(1, SubBytes / ((n + m) * size) / 16 * 16));

        Product = new double[n * m];
        Gram1 = new double[n * n];
        Gram2 = new double[m * m];
        Scores = new double[s * m];
        InputsScratch = new double[typeof(T) == typeof(double) ? 0 : s * n];
        LossGradient = new double[n * m];
        Direction = new double[n * m];
        Curvature = new double[n * m];
        Small = new double[Math.Max(n, m) * Math.Max(n, m)];
        StepMatrix = new T[n * m];
        int big = Math.Max(n, m);
        ClosedForm = new double[(6 * n * m) + (2 * big * big) + (n * n) + (m * m)];
        Eigen1 = new double[n * n];
        Eigen2 = new double[m * m];
        int k = Math.Min(n, m);
        EigenW = new double[k * k];
        EigenScratch = new double[4 * Math.Max(n, m)];
        Partials = new double[Items][];
        for (int i = 0; i < Items; i++)
        {
            Partials[i] = new double[(n * m) + (n * n) + (m * m)];
        }

        Pass = new TwoLayerPassJob<T>(this);
    }

    /// <summary>Threads a step may use, the calling thread included (the constructor's 0 resolved to the processor count).</summary>
    public int Threads { get; }

    /// <summary>Every this many steps the pass forms W1W2ᵀ, W1W1ᵀ and W2W2ᵀ exactly; the others update them in closed form.</summary>
    public int RefreshInterval { get; }

    /// <summary>h: the hidden width this workspace serves.</summary>
    public int Hidden { get; }

    /// <summary>W = W1 W2ᵀ (n×m, row-major) of the current weights, valid after a step (or <see cref="TwoLayerModel.Certify{T, TLoss}"/>).</summary>
    public ReadOnlySpan<double> WeightProduct => Product;

    /// <summary>W1 W1ᵀ (n×n) of the current weights, valid after a step.</summary>
    public ReadOnlySpan<double> FirstGram => Gram1;

    /// <summary>W2 W2ᵀ (m×m) of the current weights, valid after a step.</summary>
    public ReadOnlySpan<double> SecondGram => Gram2;

    /// <summary>∇ℓ(W) = Xᵀ ℓ′(XW − Y) (n×m) at the weights the last step started from (eq. 8's ∇ℓ).</summary>
    public ReadOnlySpan<double> LossGradientAtStart => LossGradient;

    /// <summary>Whether the products are known to be those of the current weights (false after <see cref="Invalidate"/>).</summary>
    public bool HasProducts { get; internal set; }

    /// <summary>Steps whose products were updated in closed form since they were last formed exactly (0 right after an exact pass).</summary>
    public int StepsSinceRefresh { get; internal set; }

    internal int Samples { get; }

    internal int Inputs { get; }

    internal int Outputs { get; }

    /// <summary>Columns per item (the last may be narrower).</summary>
    internal int ItemWidth { get; }

    /// <summary>Items of the pass: the unit of parallel work and of the fixed summation order.</summary>
    internal int Items { get; }

    /// <summary>Columns per sub-block of the update phase.</summary>
    internal int SubWidth { get; }

    /// <summary>Row stride of the update phase's packed copy of a sub-block: <see cref="SubWidth"/> plus one cache line, so consecutive rows fall in different L1 sets.</summary>
    internal int PackedStride => SubWidth + (64 / Unsafe.SizeOf<T>());

    internal double[] Product { get; }

    internal double[] Gram1 { get; }

    internal double[] Gram2 { get; }

    /// <summary>ℓ′(r) per residual (s×m), then the residuals of trial points.</summary>
    internal double[] Scores { get; }

    internal double[] LossGradient { get; }

    /// <summary>X widened to double when T is not double (empty otherwise: the problem's array is used).</summary>
    internal double[] InputsScratch { get; }

    /// <summary>W1W1ᵀG + G W2W2ᵀ (n×m): the first-order change of W along −∇L, divided by −η.</summary>
    internal double[] Direction { get; }

    /// <summary>G Wᵀ G (n×m): the second-order change of W along −∇L, divided by η².</summary>
    internal double[] Curvature { get; }

    /// <summary>Whether <see cref="Curvature"/> is computed for the current step.</summary>
    internal bool HasCurvature { get; set; }

    internal double[] Small { get; }

    /// <summary>E = −η_t·∇ℓ (n×m) in T, as the pass applies it: W1 += E W2, W2 += Eᵀ W1.</summary>
    internal T[] StepMatrix { get; }

    /// <summary>Scratch of the closed-form products (see <see cref="TwoLayerProducts"/>).</summary>
    internal double[] ClosedForm { get; }

    internal double[] Eigen1 { get; }

    internal double[] Eigen2 { get; }

    internal double[] EigenW { get; }

    internal double[] EigenScratch { get; }

    internal double[][] Partials { get; }

    internal TwoLayerPassJob<T> Pass { get; }

    /// <summary>Whether this workspace serves <paramref name="problem"/> (same s, n, m).</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>True when the shapes match.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="problem"/> is null.</exception>
    public bool Fits(TwoLayerProblem<T> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.S == Samples && problem.N == Inputs && problem.M == Outputs;
    }

    /// <summary>Forgets the products: the next step recomputes them from the weights it is given (one read-only pass).</summary>
    public void Invalidate() => HasProducts = false;

    /// <summary>Records a few entries of the weights the products belong to.</summary>
    internal void TakeFingerprint(ReadOnlySpan<T> w1, ReadOnlySpan<T> w2)
    {
        _fingerprint[0] = w1[0];
        _fingerprint[1] = w1[w1.Length / 2];
        _fingerprint[2] = w1[^1];
        _fingerprint[3] = w2[0];
        _fingerprint[4] = w2[w2.Length / 2];
        _fingerprint[5] = w2[^1];
    }

    /// <summary>Whether the weights still show the recorded entries (bitwise; NaN never matches).</summary>
    internal bool FingerprintMatches(ReadOnlySpan<T> w1, ReadOnlySpan<T> w2)
        => Same(_fingerprint[0], w1[0]) && Same(_fingerprint[1], w1[w1.Length / 2]) && Same(_fingerprint[2], w1[^1])
           && Same(_fingerprint[3], w2[0]) && Same(_fingerprint[4], w2[w2.Length / 2]) && Same(_fingerprint[5], w2[^1]);

    private static bool Same(T a, T b) => a == b;
}
