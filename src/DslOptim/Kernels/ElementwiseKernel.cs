using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// The one driver for fused in-place elementwise updates: runs an <see cref="IElementwiseUpdate{T}"/> over a
/// weight span and its gradient at the machine's widest vector, so that generated kernels contain the formula
/// only, and peel, dispatch and tail are written and tested once, here.
/// </summary>
public static class ElementwiseKernel
{
    /// <summary>
    /// w[i] ← update.Invoke(w[i], g[i]) for every i, each element updated exactly once.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TUpdate">The fused update; a struct, so the JIT compiles and inlines one copy per update.</typeparam>
    /// <param name="w">The weights, updated in place.</param>
    /// <param name="g">The gradient, read only; the same length as <paramref name="w"/>.</param>
    /// <param name="update">The operator, copied once: its fields hold the per-step constants.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="g"/> does not have the length of <paramref name="w"/>, or the two spans overlap without
    /// being the same span (a partially overlapping gradient would be overwritten before it is read). Thrown
    /// before anything is written.
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <remarks>
    /// <para>Elements are processed with <c>update.Invoke</c> on the widest accelerated vector that the span
    /// fills: <see cref="Vector512{T}"/>, else <see cref="Vector256{T}"/>, else <see cref="Vector128{T}"/>; the
    /// scalar overload handles the elements before the first aligned address of <paramref name="w"/> and the
    /// tail. The overloads of the update must agree up to rounding, since which one an element meets depends
    /// on the address of the span and on the machine.</para>
    /// <para><paramref name="g"/> may be <paramref name="w"/> itself (w ← u(w, w)). No allocation.</para>
    /// <para>Spans of at least 131,072 elements are split into fixed chunks run on up to
    /// <see cref="Parallelism.MaxThreads"/> threads; the chunks are laid out so that every element meets the same
    /// overload as in one single-threaded pass, so the result is bitwise the same on any number of threads.</para>
    /// </remarks>
    public static void Apply<T, TUpdate>(Span<T> w, ReadOnlySpan<T> g, in TUpdate update)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T> =>
        Apply(w, g, in update, ParallelPasses.ThreadsFor(w.Length));

    /// <summary>
    /// <see cref="Apply{T, TUpdate}(Span{T}, ReadOnlySpan{T}, in TUpdate)"/> on up to <paramref name="threads"/>
    /// threads whatever the length (tests; the public overload applies <see cref="ParallelPasses.MinParallelLength"/>).
    /// </summary>
    internal static unsafe void Apply<T, TUpdate>(Span<T> w, ReadOnlySpan<T> g, in TUpdate update, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        // Validation first, so that a bad call leaves w untouched.
        if (w.Length != g.Length)
        {
            ThrowLengthMismatch(w.Length, g.Length);
        }

        if (((ReadOnlySpan<T>)w).Overlaps(g, out int offset) && offset != 0)
        {
            ThrowPartialOverlap(offset);
        }

        SimdGuard.ThrowIfNotSupported<T>();

        // One copy of the operator: calling its methods through the `in` parameter would make the compiler
        // copy it defensively at every call (it cannot know that a generic struct is readonly).
        TUpdate u = update;
        nuint n = (nuint)w.Length;

        // Pinned for the whole pass: the drivers work on raw pointers so that alignment can be computed and
        // the loop bodies are plain pointer arithmetic. Both spans are pinned, which is free for stack or
        // native memory and a flag for the GC otherwise.
        fixed (T* pw = w)
        fixed (T* pg = g)
        {
            // Split across threads in chunks fixed by the data (see ParallelPasses); a span of one chunk, or a
            // thread already running a job of this type, runs here.
            if (threads > 1 && n > ParallelPasses.ChunkLength + ParallelPasses.WidestPeel(pw, n)
                && ElementwiseJob<T, TUpdate>.ForCurrentThread() is { } job)
            {
                job.Run(pw, pg, n, in u, threads);
                return;
            }

            // Widest first. A width is taken only when the span fills at least one vector of it; the
            // IsHardwareAccelerated tests are JIT-time constants, so untaken widths are not even compiled.
            if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
            {
                Apply512(pw, pg, n, ref u);
            }
            else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
            {
                Apply256(pw, pg, n, ref u);
            }
            else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
            {
                Apply128(pw, pg, n, ref u);
            }
            else
            {
                ApplyScalar(pw, pg, n, ref u);
            }
        }
    }

    /// <summary>The scalar loop over n elements (used for spans too short to fill a vector, and by tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void ApplyScalar<T, TUpdate>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        for (nuint i = 0; i < n; i++)
        {
            w[i] = u.Invoke(w[i], g[i]);
        }
    }

    /// <summary>
    /// Number of leading elements to run in scalar code so that <paramref name="w"/> + peel is aligned to
    /// <paramref name="vectorBytes"/>; 0 when no element of w can be aligned (w not aligned to sizeof(T), only
    /// possible for native memory), which the caller detects with <see cref="CanAlign{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe nuint AlignmentPeel<T>(T* w, nuint n, nuint vectorBytes)
        where T : unmanaged
    {
        nuint misalignment = (nuint)w & (vectorBytes - 1);
        if (!CanAlign(w))
        {
            return 0;
        }

        nuint peel = ((vectorBytes - misalignment) & (vectorBytes - 1)) / (nuint)sizeof(T);
        return peel < n ? peel : n;
    }

    /// <summary>Whether any element of a span starting at <paramref name="w"/> lies on a vector boundary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe bool CanAlign<T>(T* w)
        where T : unmanaged => ((nuint)w & (nuint)(sizeof(T) - 1)) == 0;

    // The three width drivers are the same algorithm; each is written out for its vector type because the
    // BCL offers no public abstraction over Vector128/256/512 (ISimdVector is internal).
    //
    // 1. Peel: scalar updates until w is aligned to the vector size. A store that straddles a cache line costs
    //    extra (a 512-bit store is a full line, so a misaligned one always straddles: ~1.15× for an L1-resident
    //    span and up to ~1.3× on the development machine); g stays possibly misaligned, since loads that
    //    straddle cost less than stores and both cannot be aligned at once unless their offsets agree.
    // 2. Main loop ×4: four independent vectors per iteration hide the latency of the update's arithmetic and
    //    halve the loop overhead; all loads of an iteration happen before its stores, so g == w is safe.
    // 3. Loop ×1 for the remaining whole vectors, then 4. a scalar tail. No overlapping last vector (the
    //    trick of re-running the final, partially processed vector): the update is in place and not
    //    idempotent, so each element must be updated exactly once.

    /// <summary>The Vector512 driver; requires n ≥ Vector512&lt;T&gt;.Count only for efficiency, not correctness.</summary>
    internal static unsafe void Apply512<T, TUpdate>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        nuint peel = AlignmentPeel(w, n, (nuint)Vector512<T>.Count * (nuint)sizeof(T));
        ApplyScalar(w, g, peel, ref u);
        if (CanAlign(w))
        {
            Loop512<T, TUpdate, AlignedStores>(w + peel, g + peel, n - peel, ref u);
        }
        else
        {
            Loop512<T, TUpdate, UnalignedStores>(w, g, n, ref u);
        }
    }

    /// <summary>The Vector256 driver.</summary>
    internal static unsafe void Apply256<T, TUpdate>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        nuint peel = AlignmentPeel(w, n, (nuint)Vector256<T>.Count * (nuint)sizeof(T));
        ApplyScalar(w, g, peel, ref u);
        if (CanAlign(w))
        {
            Loop256<T, TUpdate, AlignedStores>(w + peel, g + peel, n - peel, ref u);
        }
        else
        {
            Loop256<T, TUpdate, UnalignedStores>(w, g, n, ref u);
        }
    }

    /// <summary>The Vector128 driver.</summary>
    internal static unsafe void Apply128<T, TUpdate>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        nuint peel = AlignmentPeel(w, n, (nuint)Vector128<T>.Count * (nuint)sizeof(T));
        ApplyScalar(w, g, peel, ref u);
        if (CanAlign(w))
        {
            Loop128<T, TUpdate, AlignedStores>(w + peel, g + peel, n - peel, ref u);
        }
        else
        {
            Loop128<T, TUpdate, UnalignedStores>(w, g, n, ref u);
        }
    }

    private static unsafe void Loop512<T, TUpdate, TStores>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
        where TStores : struct, IStoreKind
    {
        nuint count = (nuint)Vector512<T>.Count;
        nuint i = 0;
        for (; n - i >= 4 * count; i += 4 * count)
        {
            Vector512<T> r0 = u.Invoke(Vector512.Load(w + i), Vector512.Load(g + i));
            Vector512<T> r1 = u.Invoke(Vector512.Load(w + i + count), Vector512.Load(g + i + count));
            Vector512<T> r2 = u.Invoke(Vector512.Load(w + i + (2 * count)), Vector512.Load(g + i + (2 * count)));
            Vector512<T> r3 = u.Invoke(Vector512.Load(w + i + (3 * count)), Vector512.Load(g + i + (3 * count)));
            Store(r0, w + i);
            Store(r1, w + i + count);
            Store(r2, w + i + (2 * count));
            Store(r3, w + i + (3 * count));
        }

        for (; n - i >= count; i += count)
        {
            Store(u.Invoke(Vector512.Load(w + i), Vector512.Load(g + i)), w + i);
        }

        ApplyScalar(w + i, g + i, n - i, ref u);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(Vector512<T> value, T* destination)
        {
            if (TStores.Aligned)
            {
                Vector512.StoreAligned(value, destination);
            }
            else
            {
                Vector512.Store(value, destination);
            }
        }
    }

    private static unsafe void Loop256<T, TUpdate, TStores>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
        where TStores : struct, IStoreKind
    {
        nuint count = (nuint)Vector256<T>.Count;
        nuint i = 0;
        for (; n - i >= 4 * count; i += 4 * count)
        {
            Vector256<T> r0 = u.Invoke(Vector256.Load(w + i), Vector256.Load(g + i));
            Vector256<T> r1 = u.Invoke(Vector256.Load(w + i + count), Vector256.Load(g + i + count));
            Vector256<T> r2 = u.Invoke(Vector256.Load(w + i + (2 * count)), Vector256.Load(g + i + (2 * count)));
            Vector256<T> r3 = u.Invoke(Vector256.Load(w + i + (3 * count)), Vector256.Load(g + i + (3 * count)));
            Store(r0, w + i);
            Store(r1, w + i + count);
            Store(r2, w + i + (2 * count));
            Store(r3, w + i + (3 * count));
        }

        for (; n - i >= count; i += count)
        {
            Store(u.Invoke(Vector256.Load(w + i), Vector256.Load(g + i)), w + i);
        }

        ApplyScalar(w + i, g + i, n - i, ref u);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(Vector256<T> value, T* destination)
        {
            if (TStores.Aligned)
            {
                Vector256.StoreAligned(value, destination);
            }
            else
            {
                Vector256.Store(value, destination);
            }
        }
    }

    private static unsafe void Loop128<T, TUpdate, TStores>(T* w, T* g, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
        where TStores : struct, IStoreKind
    {
        nuint count = (nuint)Vector128<T>.Count;
        nuint i = 0;
        for (; n - i >= 4 * count; i += 4 * count)
        {
            Vector128<T> r0 = u.Invoke(Vector128.Load(w + i), Vector128.Load(g + i));
            Vector128<T> r1 = u.Invoke(Vector128.Load(w + i + count), Vector128.Load(g + i + count));
            Vector128<T> r2 = u.Invoke(Vector128.Load(w + i + (2 * count)), Vector128.Load(g + i + (2 * count)));
            Vector128<T> r3 = u.Invoke(Vector128.Load(w + i + (3 * count)), Vector128.Load(g + i + (3 * count)));
            Store(r0, w + i);
            Store(r1, w + i + count);
            Store(r2, w + i + (2 * count));
            Store(r3, w + i + (3 * count));
        }

        for (; n - i >= count; i += count)
        {
            Store(u.Invoke(Vector128.Load(w + i), Vector128.Load(g + i)), w + i);
        }

        ApplyScalar(w + i, g + i, n - i, ref u);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(Vector128<T> value, T* destination)
        {
            if (TStores.Aligned)
            {
                Vector128.StoreAligned(value, destination);
            }
            else
            {
                Vector128.Store(value, destination);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch(int wLength, int gLength) =>
        throw new ArgumentException(
            $"The gradient has {gLength} elements but the weights have {wLength}; they must have the same length.",
            "g");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPartialOverlap(int offset) =>
        throw new ArgumentException(
            $"The gradient overlaps the weights at an offset of {offset} elements; it must be the same span as the weights or not overlap them.",
            "g");

    // Whether the vector loop may use aligned stores, as a type so that the JIT compiles one loop per kind
    // with the test folded away. Aligned stores (vmovapd) fault on a misaligned address, which turns a bug in
    // the peel into a crash in the tests rather than a silent slowdown.
    private interface IStoreKind
    {
        static abstract bool Aligned { get; }
    }

    private readonly struct AlignedStores : IStoreKind
    {
        public static bool Aligned => true;
    }

    private readonly struct UnalignedStores : IStoreKind
    {
        public static bool Aligned => false;
    }
}
