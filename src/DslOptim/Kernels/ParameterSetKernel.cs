using System;
using System.Numerics;

namespace DslOptim.Kernels;

/// <summary>
/// The drivers of the generated <c>Step(ParameterSet&lt;T&gt;, …)</c> overloads: run an elementwise or stateful update
/// over every tensor of a <see cref="ParameterSet{T}"/>, one fixed work item at a time on up to
/// <see cref="Parallelism.MaxThreads"/> threads (see the set's remarks for the cut and for determinism).
/// </summary>
public static class ParameterSetKernel
{
    /// <summary>w ← update(w, g) for every element of every tensor of <paramref name="set"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TUpdate">The fused update.</typeparam>
    /// <param name="set">The tensors; frozen by the call.</param>
    /// <param name="update">The operator, copied once per work item.</param>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    public static void Apply<T, TUpdate>(ParameterSet<T> set, in TUpdate update)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        ArgumentNullException.ThrowIfNull(set);
        set.Freeze();
        ElementwiseSetJob<T, TUpdate>? job = set.FindJob<ElementwiseSetJob<T, TUpdate>>();
        if (job is null)
        {
            job = new ElementwiseSetJob<T, TUpdate>(set);
            set.KeepJob(job);
        }

        job.Update = update;
        set.Run(job);
    }

    /// <summary>
    /// The fused stateful update over every tensor of <paramref name="set"/>: tensor i reads and writes the range
    /// [<see cref="ParameterSet{T}.OffsetOf"/>(i), … + its length) of each state buffer.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TUpdate">The fused update.</typeparam>
    /// <param name="set">The tensors; frozen by the call.</param>
    /// <param name="states">The per-element state buffers, <c>TUpdate.StateCount</c> of them, each of <see cref="ParameterSet{T}.Length"/> elements.</param>
    /// <param name="update">The operator, copied once per work item.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The buffers do not fit the set (count or length); thrown before anything is written.</exception>
    public static void Apply<T, TUpdate>(ParameterSet<T> set, Memory<T>[] states, in TUpdate update)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(states);
        if (states.Length != TUpdate.StateCount)
        {
            throw new ArgumentException($"The update uses {TUpdate.StateCount} state buffers but {states.Length} were given.", nameof(states));
        }

        foreach (Memory<T> buffer in states)
        {
            if (buffer.Length != set.Length)
            {
                throw new ArgumentException($"A state buffer has {buffer.Length} elements but the set holds {set.Length}.", nameof(states));
            }
        }

        set.Freeze();
        StatefulSetJob<T, TUpdate>? job = set.FindJob<StatefulSetJob<T, TUpdate>>();
        if (job is null)
        {
            job = new StatefulSetJob<T, TUpdate>(set);
            set.KeepJob(job);
        }

        job.Prepare(states, update);
        try
        {
            set.Run(job);
        }
        finally
        {
            job.Release();
        }
    }

    /// <summary>Checks that a state belongs to <paramref name="set"/>: created by <c>CreateState(set)</c> for this very set.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="set">The set of the step.</param>
    /// <param name="owner">The set the state was created for (null for a state created for a length).</param>
    /// <param name="stateLength">The state's length.</param>
    /// <exception cref="ArgumentException">The state was made for another set, or for a length.</exception>
    public static void CheckState<T>(ParameterSet<T> set, ParameterSet<T>? owner, int stateLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(set);
        if (owner is null)
        {
            throw new ArgumentException(
                $"The state was created for a length ({stateLength} elements), not for a parameter set; create it with CreateState(set).", "state");
        }

        if (!ReferenceEquals(owner, set))
        {
            throw new ArgumentException(
                $"The state was created for another parameter set ({owner.Count} tensors, {owner.Length} elements; this one has {set.Count} tensors, {set.Length} elements); create it with CreateState(set).", "state");
        }

        if (stateLength != set.Length)
        {
            throw new ArgumentException($"The state holds {stateLength} elements but the set {set.Length}.", "state");
        }
    }
}

/// <summary>Item k of an elementwise set step: the update on each of its slices.</summary>
internal sealed class ElementwiseSetJob<T, TUpdate> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TUpdate : struct, IElementwiseUpdate<T>
{
    private readonly ParameterSet<T> _set;

    public ElementwiseSetJob(ParameterSet<T> set) => _set = set;

    public TUpdate Update { get; set; }

    public void Run(int index)
    {
        ParameterSet<T>.Layout layout = _set.FrozenLayout();
        TUpdate u = Update;
        for (int s = layout.FirstSlice[index]; s < layout.FirstSlice[index + 1]; s++)
        {
            int tensor = layout.Tensors[s];
            int start = layout.Starts[s], length = layout.Lengths[s];
            SliceKernels.Elementwise(_set.Weights(tensor).Slice(start, length), _set.Gradient(tensor).Slice(start, length), ref u);
        }
    }
}

/// <summary>Item k of a stateful set step: the fused update on each of its slices and the matching ranges of the states.</summary>
internal sealed class StatefulSetJob<T, TUpdate> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TUpdate : struct, IStatefulUpdate<T>
{
    private readonly ParameterSet<T> _set;
    private Memory<T>[]? _states;
    private TUpdate _update;

    public StatefulSetJob(ParameterSet<T> set) => _set = set;

    public void Prepare(Memory<T>[] states, in TUpdate update)
    {
        _states = states;
        _update = update;
    }

    /// <summary>Drops the state buffers, so that the set does not keep them alive.</summary>
    public void Release() => _states = null;

    public void Run(int index)
    {
        ParameterSet<T>.Layout layout = _set.FrozenLayout();
        Memory<T>[] states = _states!;
        int count = TUpdate.StateCount;
        TUpdate u = _update;
        for (int s = layout.FirstSlice[index]; s < layout.FirstSlice[index + 1]; s++)
        {
            int tensor = layout.Tensors[s];
            int start = layout.Starts[s], length = layout.Lengths[s];
            int at = layout.Offsets[tensor] + start;
            SliceKernels.Stateful(
                _set.Weights(tensor).Slice(start, length),
                _set.Gradient(tensor).Slice(start, length),
                count > 0 ? states[0].Span.Slice(at, length) : default,
                count > 1 ? states[1].Span.Slice(at, length) : default,
                count > 2 ? states[2].Span.Slice(at, length) : default,
                count > 3 ? states[3].Span.Slice(at, length) : default,
                ref u);
        }
    }
}
