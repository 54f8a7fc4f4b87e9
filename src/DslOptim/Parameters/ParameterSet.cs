using System;
using System.Collections.Generic;
using System.Numerics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// The parameter tensors of a model, registered once as (weights, gradient) pairs of any lengths, so that one
/// generated <c>Step(set, t)</c> or <c>Step(set, state, t)</c> updates them all: an isotropic potential's norm is
/// taken over the whole set (global-norm clipping, as <c>torch.nn.utils.clip_grad_norm_</c> over all parameters),
/// a stateful optimizer keeps one state for the whole set (<c>CreateState&lt;T&gt;(set)</c>), and the work runs on up
/// to <see cref="Parallelism.MaxThreads"/> threads, across and within tensors.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/> at the first step.</typeparam>
/// <remarks>
/// <para><b>Ownership.</b> The set holds the caller's memory, never a copy: a step reads each gradient and writes each
/// weight tensor in place, exactly where the caller registered them. The caller owns that memory, keeps it alive and
/// unmoved (an array, or a <see cref="System.Buffers.MemoryManager{T}"/> over pinned or native memory) for as long as
/// the set is used, writes fresh gradients into the same gradient memory between steps, and must not return pooled
/// arrays while the set can still step.</para>
/// <para><b>Registration, then use.</b> Tensors are added with <see cref="Add(Memory{T}, ReadOnlyMemory{T})"/>; the first
/// step, norm or <c>CreateState</c> freezes the set (a state's layout is the registration order: tensor i occupies
/// [<see cref="OffsetOf"/>(i), <see cref="OffsetOf"/>(i) + length) of every state buffer), and later calls to
/// <c>Add</c> throw.</para>
/// <para><b>Determinism.</b> The work is cut once, at freezing, into fixed items. An update pass cuts each tensor
/// into slices of <see cref="SliceLength"/> elements, consecutive small slices grouped into one item of at most
/// <see cref="SliceLength"/> elements, so each tensor's slices see the same peel and tail as a step on that tensor
/// alone. A norm reads the set as one vector, the tensors end to end in registration order, cut into the chunks of
/// <see cref="Reduction"/> (<see cref="SliceLength"/> elements, across tensor boundaries): one item per chunk, its
/// pieces accumulated into one set of lanes, the chunks' partial sums stored apart and added in chunk order. So a
/// step is bitwise the same on 1 thread and on many, and the norm is bitwise
/// <see cref="Reduction.SumOfSquares{T}(ReadOnlySpan{T})"/> of one tensor holding every tensor's values in that
/// order (small tensors share a chunk's lanes and its one fold instead of a fold and a partial sum each).</para>
/// <para>Not thread-safe: one step (or norm) at a time per set. No allocation per step once the first step of each
/// optimizer type has created its work item (kept by the set).</para>
/// </remarks>
public sealed class ParameterSet<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per slice of a tensor, and the most elements of one work item: <see cref="Reduction.ChunkLength"/>.</summary>
    public const int SliceLength = Reduction.ChunkLength;

    /// <summary>Below this many elements in all, a step runs on the calling thread only (waking helpers would cost more).</summary>
    internal const int ParallelLength = 2 * SliceLength;

    private readonly List<Memory<T>> _weightList = new();
    private readonly List<ReadOnlyMemory<T>> _gradientList = new();
    private readonly List<int> _offsetList = new();
    private readonly IChunkJob?[] _jobs = new IChunkJob?[4];
    private int _nextJob;
    private Layout? _layout;

    /// <summary>The number of registered tensors.</summary>
    public int Count => _weightList.Count;

    /// <summary>The total number of weights: the length of a state created for this set.</summary>
    public int Length { get; private set; }

    /// <summary>Whether the set is frozen (a step, a norm or <c>CreateState</c> used it); a frozen set takes no more tensors.</summary>
    public bool IsFrozen => _layout is not null;

    /// <summary>Registers a weight tensor and its gradient; returns its index.</summary>
    /// <param name="weights">The weights, updated in place by every step.</param>
    /// <param name="gradient">Its gradient, read by every step; the same length as <paramref name="weights"/>, and either
    /// the same memory or disjoint from it.</param>
    /// <returns>The tensor's index: its place in the state layout (<see cref="OffsetOf"/>).</returns>
    /// <exception cref="ArgumentException">The lengths differ; the gradient partially overlaps the weights; the weights
    /// overlap a tensor or gradient already registered, or the gradient overlaps weights already registered; or the set
    /// would exceed <see cref="Array.MaxLength"/> elements. Nothing is registered.</exception>
    /// <exception cref="InvalidOperationException">The set is frozen.</exception>
    public int Add(Memory<T> weights, ReadOnlyMemory<T> gradient)
    {
        if (IsFrozen)
        {
            throw new InvalidOperationException(
                $"This parameter set is frozen: a step, a norm or CreateState already used its {Count} tensors. Register every tensor before the first use.");
        }

        int index = Count;
        if (weights.Length != gradient.Length)
        {
            throw new ArgumentException(
                $"Tensor {index}: the gradient has {gradient.Length} elements but the weights have {weights.Length}; they must have the same length.", nameof(gradient));
        }

        ReadOnlySpan<T> w = weights.Span;
        ReadOnlySpan<T> g = gradient.Span;
        if (w.Overlaps(g, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                $"Tensor {index}: the gradient overlaps the weights at an offset of {offset} elements; it must be the same memory as the weights or not overlap them.", nameof(gradient));
        }

        for (int j = 0; j < index; j++)
        {
            ReadOnlySpan<T> wj = _weightList[j].Span;
            if (w.Overlaps(wj) || w.Overlaps(_gradientList[j].Span))
            {
                throw new ArgumentException(
                    $"Tensor {index}: its weights overlap the weights or the gradient of tensor {j}; the tensors of a set are updated in parallel and must not share memory.", nameof(weights));
            }

            if (g.Overlaps(wj))
            {
                throw new ArgumentException(
                    $"Tensor {index}: its gradient overlaps the weights of tensor {j}, which a step writes.", nameof(gradient));
            }
        }

        if ((long)Length + weights.Length > Array.MaxLength)
        {
            throw new ArgumentException(
                $"Tensor {index}: with its {weights.Length} elements the set would hold {(long)Length + weights.Length}, more than a state buffer can ({Array.MaxLength}).", nameof(weights));
        }

        _weightList.Add(weights);
        _gradientList.Add(gradient);
        _offsetList.Add(Length);
        Length += weights.Length;
        return index;
    }

    /// <summary>The weights of tensor <paramref name="index"/>, as registered.</summary>
    /// <param name="index">The tensor's index, from 0.</param>
    /// <returns>The caller's memory.</returns>
    public Memory<T> WeightsOf(int index) => _weightList[index];

    /// <summary>The gradient of tensor <paramref name="index"/>, as registered.</summary>
    /// <param name="index">The tensor's index, from 0.</param>
    /// <returns>The caller's memory.</returns>
    public ReadOnlyMemory<T> GradientOf(int index) => _gradientList[index];

    /// <summary>Where tensor <paramref name="index"/> starts in a state buffer of this set (the sum of the earlier lengths).</summary>
    /// <param name="index">The tensor's index, from 0.</param>
    /// <returns>The offset, in elements.</returns>
    public int OffsetOf(int index) => _offsetList[index];

    /// <summary>
    /// ‖g‖ over the whole set: √(Σ over every tensor of Σ g_i²), accumulated in double — the total norm that
    /// <c>clip_grad_norm_</c> computes over all parameters. Deterministic (see the remarks): bitwise
    /// <see cref="Reduction.FrobeniusNorm{T}(ReadOnlySpan{T})"/> of the gradients laid end to end. Freezes the set.
    /// </summary>
    /// <returns>The global gradient norm; NaN if an entry is NaN, +∞ on overflow (see <see cref="Reduction.SumOfSquares{T}(ReadOnlySpan{T})"/>).</returns>
    public double GradientNorm() => Math.Sqrt(SumOfSquares(gradients: true));

    /// <summary>‖w‖ over the whole set, as <see cref="GradientNorm"/> computes ‖g‖; freezes the set.</summary>
    /// <returns>The global weight norm.</returns>
    public double WeightNorm() => Math.Sqrt(SumOfSquares(gradients: false));

    /// <summary>
    /// Freezes the set: no tensor can be added any more, and its work is cut into fixed items (allocated here, once).
    /// The first step, norm or <c>CreateState</c> freezes it too; calling this again does nothing.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public void Freeze() => FrozenLayout();

    /// <summary>Freezes the set (idempotent) and returns its work layout; allocates only the first time.</summary>
    internal Layout FrozenLayout()
    {
        if (_layout is null)
        {
            SimdGuard.ThrowIfNotSupported<T>();
            _layout = new Layout(this);
        }

        return _layout;
    }

    /// <summary>The weights of tensor i as a span (a step's view).</summary>
    internal Span<T> Weights(int index) => _weightList[index].Span;

    /// <summary>The gradient of tensor i as a span.</summary>
    internal ReadOnlySpan<T> Gradient(int index) => _gradientList[index].Span;

    internal double SumOfSquares(bool gradients)
    {
        Layout layout = FrozenLayout();
        NormJob job = layout.Norm;
        job.Gradients = gradients;
        Run(job, layout.ChunkCount);
        double total = 0.0;
        double[] partials = layout.Partials;
        for (int s = 0; s < partials.Length; s++)
        {
            total += partials[s];
        }

        return total;
    }

    /// <summary>Runs an update job's items (<see cref="Layout.ItemCount"/>): on the helpers when the set is large enough and more than one thread is allowed.</summary>
    internal void Run(IChunkJob job) => Run(job, FrozenLayout().ItemCount);

    /// <summary>Runs items [0, <paramref name="items"/>) of a job, on the helpers when the set is large enough and more than one thread is allowed.</summary>
    private void Run(IChunkJob job, int items)
    {
        int threads = Length >= ParallelLength ? Parallelism.MaxThreads : 1;
        if (threads > 1 && items > 1)
        {
            ChunkWorkers.Run(job, items, threads);
            return;
        }

        for (int k = 0; k < items; k++)
        {
            job.Run(k);
        }
    }

    /// <summary>The job of type <typeparamref name="TJob"/> kept by this set, or null.</summary>
    internal TJob? FindJob<TJob>()
        where TJob : class, IChunkJob
    {
        foreach (IChunkJob? job in _jobs)
        {
            if (job is TJob found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Keeps a job for later steps (up to four types at a time, the oldest replaced).</summary>
    internal void KeepJob(IChunkJob job)
    {
        _jobs[_nextJob] = job;
        _nextJob = (_nextJob + 1) % _jobs.Length;
    }

    /// <summary>
    /// The fixed cut of the work. For updates: slices (tensor, start, length) in order, and items as runs of
    /// consecutive slices; slice s of tensor i covers [s·SliceLength, …) of that tensor, as a step on that tensor alone
    /// would cut it. For norms: the set read as one vector (the tensors end to end in registration order, tensor i at
    /// <see cref="OffsetOf"/>(i)) cut into <see cref="Reduction"/>'s chunks of <see cref="SliceLength"/> elements, each
    /// chunk the pieces of the tensors it covers.
    /// </summary>
    internal sealed class Layout
    {
        public Layout(ParameterSet<T> set)
        {
            var tensors = new List<int>();
            var starts = new List<int>();
            var lengths = new List<int>();
            var firsts = new List<int> { 0 };
            int itemLength = 0;
            for (int i = 0; i < set.Count; i++)
            {
                int length = set._weightList[i].Length;
                for (int start = 0; start < length; start += SliceLength)
                {
                    int slice = Math.Min(SliceLength, length - start);
                    if (itemLength > 0 && itemLength + slice > SliceLength)
                    {
                        firsts.Add(tensors.Count);
                        itemLength = 0;
                    }

                    tensors.Add(i);
                    starts.Add(start);
                    lengths.Add(slice);
                    itemLength += slice;
                }
            }

            if (itemLength > 0)
            {
                firsts.Add(tensors.Count);
            }

            Tensors = tensors.ToArray();
            Starts = starts.ToArray();
            Lengths = lengths.ToArray();
            Offsets = set._offsetList.ToArray();
            FirstSlice = firsts.ToArray();

            // Norm chunks: global elements [c·SliceLength, (c+1)·SliceLength) of the concatenation, as pieces that
            // end at a tensor's end or at the chunk's end. Empty tensors contribute no piece.
            var pieceTensors = new List<int>();
            var pieceStarts = new List<int>();
            var pieceLengths = new List<int>();
            var firstPieces = new List<int> { 0 };
            int chunkFill = 0;
            for (int i = 0; i < set.Count; i++)
            {
                int length = set._weightList[i].Length;
                for (int start = 0; start < length;)
                {
                    int piece = Math.Min(length - start, SliceLength - chunkFill);
                    pieceTensors.Add(i);
                    pieceStarts.Add(start);
                    pieceLengths.Add(piece);
                    start += piece;
                    chunkFill += piece;
                    if (chunkFill == SliceLength)
                    {
                        firstPieces.Add(pieceTensors.Count);
                        chunkFill = 0;
                    }
                }
            }

            if (chunkFill > 0)
            {
                firstPieces.Add(pieceTensors.Count);
            }

            PieceTensors = pieceTensors.ToArray();
            PieceStarts = pieceStarts.ToArray();
            PieceLengths = pieceLengths.ToArray();
            FirstPiece = firstPieces.ToArray();
            Partials = new double[ChunkCount];
            Norm = new NormJob(set);
        }

        /// <summary>The tensor of each slice.</summary>
        public int[] Tensors { get; }

        /// <summary>Where each slice starts in its tensor.</summary>
        public int[] Starts { get; }

        /// <summary>Each slice's length.</summary>
        public int[] Lengths { get; }

        /// <summary>Each tensor's offset in a state buffer.</summary>
        public int[] Offsets { get; }

        /// <summary>Item k covers slices [FirstSlice[k], FirstSlice[k + 1]).</summary>
        public int[] FirstSlice { get; }

        public int ItemCount => FirstSlice.Length - 1;

        /// <summary>The tensor of each norm piece.</summary>
        public int[] PieceTensors { get; }

        /// <summary>Where each norm piece starts in its tensor.</summary>
        public int[] PieceStarts { get; }

        /// <summary>Each norm piece's length.</summary>
        public int[] PieceLengths { get; }

        /// <summary>Norm chunk c covers pieces [FirstPiece[c], FirstPiece[c + 1]).</summary>
        public int[] FirstPiece { get; }

        /// <summary>The number of norm chunks: ⌈Length / SliceLength⌉.</summary>
        public int ChunkCount => FirstPiece.Length - 1;

        /// <summary>One partial sum of squares per norm chunk, added in chunk order.</summary>
        public double[] Partials { get; }

        public NormJob Norm { get; }
    }

    /// <summary>
    /// Item c: the sum of squares of norm chunk c, its pieces accumulated in order into one set of lanes, into the
    /// chunk's partial — bitwise <see cref="Reduction"/>'s partial of chunk c of the concatenated set.
    /// </summary>
    internal sealed class NormJob : IChunkJob
    {
        private readonly ParameterSet<T> _set;

        public NormJob(ParameterSet<T> set) => _set = set;

        public bool Gradients { get; set; }

        public void Run(int index)
        {
            Layout layout = _set._layout!;
            List<ReadOnlyMemory<T>> gradients = _set._gradientList;
            List<Memory<T>> weights = _set._weightList;
            var chunk = default(Reduction.ChunkSquares<T>);
            for (int p = layout.FirstPiece[index]; p < layout.FirstPiece[index + 1]; p++)
            {
                int tensor = layout.PieceTensors[p];
                ReadOnlySpan<T> x = Gradients ? gradients[tensor].Span : weights[tensor].Span;
                chunk.Add(x.Slice(layout.PieceStarts[p], layout.PieceLengths[p]));
            }

            layout.Partials[index] = chunk.Finish();
        }
    }
}
