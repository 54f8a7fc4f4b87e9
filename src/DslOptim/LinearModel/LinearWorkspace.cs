using System;
using System.Numerics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// Everything <see cref="LinearModel.Gradient{T, TLoss}"/> needs besides the problem and the weights, allocated once:
/// the gradient, the per-chunk partial gradients and residual rows, and the thread count.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
/// <remarks>
/// <para>A workspace serves any problem with the same d and k (see <see cref="Fits"/>); n may differ, e.g. for
/// mini-batches of different sizes. It is not thread-safe: one call at a time per workspace.</para>
/// <para>Memory: the gradient, a copy of W and a running sum (d·k values each), plus one partial gradient
/// (d·k values) and one block of residuals (4×k or 64×k values) per <em>slot</em>. There is one slot per chunk of
/// <see cref="LinearModel.RowChunk"/> rows while all of them fit in 16 MiB; beyond that, as many as fit (at least two
/// per thread), and the chunks are processed in waves of that many. The number of slots affects memory and speed
/// only, never the result.</para>
/// </remarks>
public sealed class LinearWorkspace<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Budget for the partial gradients of all slots, in bytes.</summary>
    internal const long PartialBudgetBytes = 16L << 20;

    private readonly T[] _gradient;
    private readonly IChunkJob?[] _gradientJobs = new IChunkJob?[4];
    private int _nextJob;

    /// <summary>Allocates a workspace for problems shaped like <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem (its n sizes the slots; its d and k are fixed for the workspace's life).</param>
    /// <param name="threads">Threads a call may use, the calling thread included; 0 (the default) means
    /// <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="problem"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public LinearWorkspace(LinearProblem<T> problem, int threads = 0)
        : this(problem, threads, slots: 0)
    {
    }

    /// <summary>As the public constructor, with the number of slots forced (0 = automatic); tests use it to exercise waves.</summary>
    internal LinearWorkspace(LinearProblem<T> problem, int threads, int slots)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be 0 (all processors) or positive but is {threads}.");
        }

        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        Features = problem.D;
        Outputs = problem.K;
        ChunkProducts = LinearModel.GradientUsesChunkProducts<T>(Outputs);
        int length = problem.WeightLength;
        int chunks = LinearModel.ChunkCount(problem.N);
        Slots = slots > 0 ? Math.Min(slots, chunks) : ChooseSlots(chunks, length, Threads);

        _gradient = new T[length];
        Weights = new T[length];
        RunningSum = new T[length];
        Partials = new T[Slots][];
        Residuals = new T[Slots][];
        for (int s = 0; s < Slots; s++)
        {
            Partials[s] = new T[length];
            Residuals[s] = new T[(ChunkProducts ? LinearModel.RowChunk : 4) * Outputs];
        }

        SlotLoss = new double[Slots];
        NormPartials = new double[LinearModel.CombineBlockCount(length)];
        Combine = new CombineJob<T>(this);
    }

    /// <summary>Threads a call may use, the calling thread included (the constructor's 0 resolved to the processor count).</summary>
    public int Threads { get; }

    /// <summary>
    /// G = ∇L(W) computed by the last <see cref="LinearModel.Gradient{T, TLoss}"/> call, row-major d×k. Writable, so
    /// that a caller may reuse it as scratch; the next call overwrites it (and may read W from it: W is copied first).
    /// </summary>
    public Span<T> Gradient => _gradient;

    /// <summary>d of the problems this workspace serves.</summary>
    internal int Features { get; }

    /// <summary>k of the problems this workspace serves.</summary>
    internal int Outputs { get; }

    /// <summary>Partial gradients computed per wave, one chunk each.</summary>
    internal int Slots { get; }

    /// <summary>
    /// Whether chunks are computed as two small products per chunk (R = X_c·W, G_c = X_cᵀ·S_c; partials d×k) rather than
    /// in 4-row tiles of dot products and rank-4 updates (partials Gᵀ, k×d). Depends on k and the machine only.
    /// </summary>
    internal bool ChunkProducts { get; }

    /// <summary>The copy of W the kernels read: W itself (d×k) with <see cref="ChunkProducts"/>, else Wᵀ (k×d, row j = column j of W).</summary>
    internal T[] Weights { get; }

    /// <summary>The running sum of the partial gradients, in the layout of the partials.</summary>
    internal T[] RunningSum { get; }

    /// <summary>Per slot: the chunk's partial gradient, d×k with <see cref="ChunkProducts"/>, else k×d (transposed).</summary>
    internal T[][] Partials { get; }

    /// <summary>Per slot: residuals, then ℓ′/n, row-major: the whole chunk (RowChunk×k) with <see cref="ChunkProducts"/>, else four rows (4×k).</summary>
    internal T[][] Residuals { get; }

    /// <summary>Per slot: the chunk's Σ ℓ(r_ij), in double.</summary>
    internal double[] SlotLoss { get; }

    /// <summary>Per combine block: the sum of squares of the final gradient's values in that block.</summary>
    internal double[] NormPartials { get; }

    /// <summary>The combine pass, reused by every call.</summary>
    internal CombineJob<T> Combine { get; }

    /// <summary>Whether this workspace can serve <paramref name="problem"/>: the same d and k (n may differ).</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>True when <paramref name="problem"/>.D and .K equal those of the problem the workspace was made for.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="problem"/> is null.</exception>
    public bool Fits(LinearProblem<T> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.D == Features && problem.K == Outputs;
    }

    /// <summary>The job that runs chunks with loss <typeparamref name="TLoss"/>, created on first use and kept (up to four loss types).</summary>
    internal GradientJob<T, TLoss> GradientJob<TLoss>()
        where TLoss : struct, ILossOperator<T>
    {
        foreach (IChunkJob? job in _gradientJobs)
        {
            if (job is GradientJob<T, TLoss> found)
            {
                return found;
            }
        }

        var created = new GradientJob<T, TLoss>(this);
        _gradientJobs[_nextJob] = created;
        _nextJob = (_nextJob + 1) % _gradientJobs.Length;
        return created;
    }

    private static int ChooseSlots(int chunks, int length, int threads)
    {
        long slotBytes = Math.Max(1L, (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        if (chunks * slotBytes <= PartialBudgetBytes)
        {
            return chunks;
        }

        long fit = Math.Max(PartialBudgetBytes / slotBytes, 2L * threads);
        return (int)Math.Min(fit, chunks);
    }
}
