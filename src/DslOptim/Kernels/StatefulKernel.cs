using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// The one driver for fused in-place updates with per-element optimizer states (Adam, AMSGrad, …): runs an
/// <see cref="IStatefulUpdate{T}"/> over a weight span, its gradient and up to four state spans at the machine's
/// widest vector, in a single pass. The stateful sibling of <see cref="ElementwiseKernel"/>, with the same
/// peel, dispatch and tail, so that generated kernels contain the formula only.
/// </summary>
public static class StatefulKernel
{
    private const string S0 = "s0";
    private const string S1 = "s1";
    private const string S2 = "s2";
    private const string S3 = "s3";

    /// <summary>
    /// w[i], s_j[i] ← update(w[i], g[i], s_j[i]) for every i: one pass reading w, g and the states, writing w
    /// and the states, each element updated exactly once.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TUpdate">The fused update; a struct, so the JIT compiles and inlines one copy per update.</typeparam>
    /// <param name="w">The weights, updated in place.</param>
    /// <param name="g">The gradient, read only; the same length as <paramref name="w"/>, and either
    /// <paramref name="w"/> itself or disjoint from it.</param>
    /// <param name="s0">The first state, updated in place; the length of <paramref name="w"/>.</param>
    /// <param name="s1">The second state if <c>TUpdate.StateCount</c> ≥ 2 (the length of <paramref name="w"/>), else empty (<c>default</c>).</param>
    /// <param name="s2">The third state if <c>TUpdate.StateCount</c> ≥ 3 (the length of <paramref name="w"/>), else empty.</param>
    /// <param name="s3">The fourth state if <c>TUpdate.StateCount</c> = 4 (the length of <paramref name="w"/>), else empty.</param>
    /// <param name="update">The operator, copied once: its fields hold the per-step constants.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="g"/> or a used state does not have the length of <paramref name="w"/>; a state beyond
    /// <c>TUpdate.StateCount</c> is not empty; <paramref name="g"/> overlaps <paramref name="w"/> without being
    /// the same span; or a used state overlaps <paramref name="w"/>, <paramref name="g"/> or another state (in
    /// any way: states are written, so they may alias nothing). The parameter name says which span. Thrown
    /// before anything is written.
    /// </exception>
    /// <exception cref="NotSupportedException">
    /// <typeparamref name="T"/> is neither float nor double, or <c>TUpdate.StateCount</c> is not 1 to 4.
    /// </exception>
    /// <remarks>
    /// <para>Elements are processed with <c>update.Invoke</c> on the widest accelerated vector that the span
    /// fills: <see cref="Vector512{T}"/>, else <see cref="Vector256{T}"/>, else <see cref="Vector128{T}"/>; the
    /// scalar overload handles the elements before the first aligned address of <paramref name="w"/> and the
    /// tail. The overloads of the update must agree up to rounding, since which one an element meets depends
    /// on the address of <paramref name="w"/> and on the machine.</para>
    /// <para>States beyond <c>TUpdate.StateCount</c> are neither read nor written: the update sees references
    /// to zeroed locals for them. No allocation.</para>
    /// <para>Spans of at least 131,072 elements are split into fixed chunks run on up to
    /// <see cref="Parallelism.MaxThreads"/> threads, laid out so that every element meets the same overload as in
    /// one single-threaded pass: the result is bitwise the same on any number of threads.</para>
    /// </remarks>
    public static void Apply<T, TUpdate>(Span<T> w, ReadOnlySpan<T> g, Span<T> s0, Span<T> s1, Span<T> s2, Span<T> s3, in TUpdate update)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T> =>
        Apply(w, g, s0, s1, s2, s3, in update, ParallelPasses.ThreadsFor(w.Length));

    /// <summary>
    /// <see cref="Apply{T, TUpdate}(Span{T}, ReadOnlySpan{T}, Span{T}, Span{T}, Span{T}, Span{T}, in TUpdate)"/> on up to
    /// <paramref name="threads"/> threads whatever the length (tests; the public overload applies
    /// <see cref="ParallelPasses.MinParallelLength"/>).
    /// </summary>
    internal static unsafe void Apply<T, TUpdate>(Span<T> w, ReadOnlySpan<T> g, Span<T> s0, Span<T> s1, Span<T> s2, Span<T> s3, in TUpdate update, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        // Validation first, so that a bad call leaves every span untouched. StateCount is a JIT-time constant,
        // so this range test folds away for a valid update.
        if (TUpdate.StateCount is < 1 or > 4)
        {
            ThrowBadStateCount(typeof(TUpdate), TUpdate.StateCount);
        }

        Validate<T>(TUpdate.StateCount, w, g, s0, s1, s2, s3);
        SimdGuard.ThrowIfNotSupported<T>();

        // One copy of the operator: calling its methods through the `in` parameter would make the compiler
        // copy it defensively at every call (it cannot know that a generic struct is readonly).
        TUpdate u = update;
        nuint n = (nuint)w.Length;

        // Pinned for the whole pass: the drivers work on raw pointers so that alignment can be computed and
        // the loop bodies are plain pointer arithmetic. Unused states are empty spans and pin to null; the
        // drivers never dereference them, since every state access is behind a StateCount test.
        fixed (T* pw = w)
        fixed (T* pg = g)
        fixed (T* p0 = s0)
        fixed (T* p1 = s1)
        fixed (T* p2 = s2)
        fixed (T* p3 = s3)
        {
            // Split across threads in chunks fixed by the data (see ParallelPasses); a span of one chunk, or a
            // thread already running a job of this type, runs here.
            if (threads > 1 && n > ParallelPasses.ChunkLength + ParallelPasses.WidestPeel(pw, n)
                && StatefulJob<T, TUpdate>.ForCurrentThread() is { } job)
            {
                job.Run(pw, pg, p0, p1, p2, p3, n, in u, threads);
                return;
            }

            // Widest first. A width is taken only when the span fills at least one vector of it; the
            // IsHardwareAccelerated tests are JIT-time constants, so untaken widths are not even compiled.
            if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
            {
                Apply512(pw, pg, p0, p1, p2, p3, n, ref u);
            }
            else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
            {
                Apply256(pw, pg, p0, p1, p2, p3, n, ref u);
            }
            else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
            {
                Apply128(pw, pg, p0, p1, p2, p3, n, ref u);
            }
            else
            {
                ApplyScalar(pw, pg, p0, p1, p2, p3, n, ref u);
            }
        }
    }

    /// <summary>The scalar loop over n elements (the peel, the tail, spans too short to fill a vector, and tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void ApplyScalar<T, TUpdate>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        for (nuint i = 0; i < n; i++)
        {
            // Used states are loaded into locals and stored back; unused ones stay zeroed locals whose address
            // only the (inlined) update sees, so the JIT keeps them in registers or drops them.
            T m0 = T.Zero, m1 = T.Zero, m2 = T.Zero, m3 = T.Zero;
            if (TUpdate.StateCount > 0)
            {
                m0 = s0[i];
            }

            if (TUpdate.StateCount > 1)
            {
                m1 = s1[i];
            }

            if (TUpdate.StateCount > 2)
            {
                m2 = s2[i];
            }

            if (TUpdate.StateCount > 3)
            {
                m3 = s3[i];
            }

            w[i] = u.Invoke(w[i], g[i], ref m0, ref m1, ref m2, ref m3);

            if (TUpdate.StateCount > 0)
            {
                s0[i] = m0;
            }

            if (TUpdate.StateCount > 1)
            {
                s1[i] = m1;
            }

            if (TUpdate.StateCount > 2)
            {
                s2[i] = m2;
            }

            if (TUpdate.StateCount > 3)
            {
                s3[i] = m3;
            }
        }
    }

    // The three width drivers are the same algorithm as ElementwiseKernel's; each is written out for its vector
    // type because the BCL offers no public abstraction over Vector128/256/512 (ISimdVector is internal).
    //
    // 1. Peel: scalar updates until w is aligned to the vector size (ElementwiseKernel.AlignmentPeel, shared).
    //    A store that straddles a cache line costs extra (a 512-bit store is a full line, so a misaligned one
    //    always straddles). Only w is aligned: g and the states have their own offsets (a managed array's data
    //    starts 16 bytes past an 8-byte-aligned object, so nothing relates their addresses), and at most one
    //    of several spans can be aligned by a peel unless their offsets agree. The state stores therefore use
    //    unaligned instructions, which cost nothing extra whenever a state happens to be aligned after all.
    // 2. Main loop ×4, written as four consecutive load → update → store blocks rather than ElementwiseKernel's
    //    four loads then four stores: each vector carries w, g and up to four states, and 4 × 6 live vectors
    //    plus the update's constants and temporaries would crowd or spill the 32 AVX-512 registers (and the 16 of
    //    AVX2 at two states). The four blocks are independent, so the out-of-order core overlaps them anyway
    //    (its window holds several blocks); the unrolling still quarters the loop overhead. Within a block
    //    every load precedes every store, so g == w is safe; states alias nothing (validated).
    // 3. Loop ×1 for the remaining whole vectors, then 4. a scalar tail. No overlapping last vector (the trick
    //    of re-running the final, partially processed vector): w and the states are updated in place and the
    //    update is not idempotent, so each element must be updated exactly once.
    //
    // In every block only the used states are loaded and stored (StateCount tests, JIT-time constants); the
    // others are zeroed locals passed by reference, which the inlined update may read or write freely.

    /// <summary>The Vector512 driver; requires n ≥ Vector512&lt;T&gt;.Count only for efficiency, not correctness.</summary>
    internal static unsafe void Apply512<T, TUpdate>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        nuint peel = ElementwiseKernel.AlignmentPeel(w, n, (nuint)Vector512<T>.Count * (nuint)sizeof(T));
        ApplyScalar(w, g, s0, s1, s2, s3, peel, ref u);
        if (ElementwiseKernel.CanAlign(w))
        {
            Loop512<T, TUpdate, AlignedStores>(w + peel, g + peel, Skip<T, TUpdate>(s0, 0, peel), Skip<T, TUpdate>(s1, 1, peel), Skip<T, TUpdate>(s2, 2, peel), Skip<T, TUpdate>(s3, 3, peel), n - peel, ref u);
        }
        else
        {
            // w is not aligned to sizeof(T) (native memory only): no element lies on a vector boundary, so no
            // peel, and unaligned stores throughout.
            Loop512<T, TUpdate, UnalignedStores>(w, g, s0, s1, s2, s3, n, ref u);
        }
    }

    /// <summary>The Vector256 driver.</summary>
    internal static unsafe void Apply256<T, TUpdate>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        nuint peel = ElementwiseKernel.AlignmentPeel(w, n, (nuint)Vector256<T>.Count * (nuint)sizeof(T));
        ApplyScalar(w, g, s0, s1, s2, s3, peel, ref u);
        if (ElementwiseKernel.CanAlign(w))
        {
            Loop256<T, TUpdate, AlignedStores>(w + peel, g + peel, Skip<T, TUpdate>(s0, 0, peel), Skip<T, TUpdate>(s1, 1, peel), Skip<T, TUpdate>(s2, 2, peel), Skip<T, TUpdate>(s3, 3, peel), n - peel, ref u);
        }
        else
        {
            Loop256<T, TUpdate, UnalignedStores>(w, g, s0, s1, s2, s3, n, ref u);
        }
    }

    /// <summary>The Vector128 driver.</summary>
    internal static unsafe void Apply128<T, TUpdate>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        nuint peel = ElementwiseKernel.AlignmentPeel(w, n, (nuint)Vector128<T>.Count * (nuint)sizeof(T));
        ApplyScalar(w, g, s0, s1, s2, s3, peel, ref u);
        if (ElementwiseKernel.CanAlign(w))
        {
            Loop128<T, TUpdate, AlignedStores>(w + peel, g + peel, Skip<T, TUpdate>(s0, 0, peel), Skip<T, TUpdate>(s1, 1, peel), Skip<T, TUpdate>(s2, 2, peel), Skip<T, TUpdate>(s3, 3, peel), n - peel, ref u);
        }
        else
        {
            Loop128<T, TUpdate, UnalignedStores>(w, g, s0, s1, s2, s3, n, ref u);
        }
    }

    /// <summary>
    /// State <paramref name="index"/> advanced by <paramref name="count"/> elements if the update uses it, else
    /// null: unused states are null (empty spans) and stay null, so that a stray access would fault rather than
    /// touch memory. The test is a JIT-time constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe T* Skip<T, TUpdate>(T* s, int index, nuint count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T> => TUpdate.StateCount > index ? s + count : null;

    private static unsafe void Loop512<T, TUpdate, TStores>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
        where TStores : struct, IStoreKind
    {
        nuint count = (nuint)Vector512<T>.Count;
        nuint i = 0;
        for (; n - i >= 4 * count; i += 4 * count)
        {
            Step(w, g, s0, s1, s2, s3, i, ref u);
            Step(w, g, s0, s1, s2, s3, i + count, ref u);
            Step(w, g, s0, s1, s2, s3, i + (2 * count), ref u);
            Step(w, g, s0, s1, s2, s3, i + (3 * count), ref u);
        }

        for (; n - i >= count; i += count)
        {
            Step(w, g, s0, s1, s2, s3, i, ref u);
        }

        ApplyScalar(w + i, g + i, Skip<T, TUpdate>(s0, 0, i), Skip<T, TUpdate>(s1, 1, i), Skip<T, TUpdate>(s2, 2, i), Skip<T, TUpdate>(s3, 3, i), n - i, ref u);

        // One vector at element i: load w, g and the used states, update, store the used states and w.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Step(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint i, ref TUpdate u)
        {
            Vector512<T> m0 = default, m1 = default, m2 = default, m3 = default;
            if (TUpdate.StateCount > 0)
            {
                m0 = Vector512.Load(s0 + i);
            }

            if (TUpdate.StateCount > 1)
            {
                m1 = Vector512.Load(s1 + i);
            }

            if (TUpdate.StateCount > 2)
            {
                m2 = Vector512.Load(s2 + i);
            }

            if (TUpdate.StateCount > 3)
            {
                m3 = Vector512.Load(s3 + i);
            }

            Vector512<T> r = u.Invoke(Vector512.Load(w + i), Vector512.Load(g + i), ref m0, ref m1, ref m2, ref m3);

            if (TUpdate.StateCount > 0)
            {
                Vector512.Store(m0, s0 + i);
            }

            if (TUpdate.StateCount > 1)
            {
                Vector512.Store(m1, s1 + i);
            }

            if (TUpdate.StateCount > 2)
            {
                Vector512.Store(m2, s2 + i);
            }

            if (TUpdate.StateCount > 3)
            {
                Vector512.Store(m3, s3 + i);
            }

            if (TStores.Aligned)
            {
                Vector512.StoreAligned(r, w + i);
            }
            else
            {
                Vector512.Store(r, w + i);
            }
        }
    }

    private static unsafe void Loop256<T, TUpdate, TStores>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
        where TStores : struct, IStoreKind
    {
        nuint count = (nuint)Vector256<T>.Count;
        nuint i = 0;
        for (; n - i >= 4 * count; i += 4 * count)
        {
            Step(w, g, s0, s1, s2, s3, i, ref u);
            Step(w, g, s0, s1, s2, s3, i + count, ref u);
            Step(w, g, s0, s1, s2, s3, i + (2 * count), ref u);
            Step(w, g, s0, s1, s2, s3, i + (3 * count), ref u);
        }

        for (; n - i >= count; i += count)
        {
            Step(w, g, s0, s1, s2, s3, i, ref u);
        }

        ApplyScalar(w + i, g + i, Skip<T, TUpdate>(s0, 0, i), Skip<T, TUpdate>(s1, 1, i), Skip<T, TUpdate>(s2, 2, i), Skip<T, TUpdate>(s3, 3, i), n - i, ref u);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Step(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint i, ref TUpdate u)
        {
            Vector256<T> m0 = default, m1 = default, m2 = default, m3 = default;
            if (TUpdate.StateCount > 0)
            {
                m0 = Vector256.Load(s0 + i);
            }

            if (TUpdate.StateCount > 1)
            {
                m1 = Vector256.Load(s1 + i);
            }

            if (TUpdate.StateCount > 2)
            {
                m2 = Vector256.Load(s2 + i);
            }

            if (TUpdate.StateCount > 3)
            {
                m3 = Vector256.Load(s3 + i);
            }

            Vector256<T> r = u.Invoke(Vector256.Load(w + i), Vector256.Load(g + i), ref m0, ref m1, ref m2, ref m3);

            if (TUpdate.StateCount > 0)
            {
                Vector256.Store(m0, s0 + i);
            }

            if (TUpdate.StateCount > 1)
            {
                Vector256.Store(m1, s1 + i);
            }

            if (TUpdate.StateCount > 2)
            {
                Vector256.Store(m2, s2 + i);
            }

            if (TUpdate.StateCount > 3)
            {
                Vector256.Store(m3, s3 + i);
            }

            if (TStores.Aligned)
            {
                Vector256.StoreAligned(r, w + i);
            }
            else
            {
                Vector256.Store(r, w + i);
            }
        }
    }

    private static unsafe void Loop128<T, TUpdate, TStores>(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
        where TStores : struct, IStoreKind
    {
        nuint count = (nuint)Vector128<T>.Count;
        nuint i = 0;
        for (; n - i >= 4 * count; i += 4 * count)
        {
            Step(w, g, s0, s1, s2, s3, i, ref u);
            Step(w, g, s0, s1, s2, s3, i + count, ref u);
            Step(w, g, s0, s1, s2, s3, i + (2 * count), ref u);
            Step(w, g, s0, s1, s2, s3, i + (3 * count), ref u);
        }

        for (; n - i >= count; i += count)
        {
            Step(w, g, s0, s1, s2, s3, i, ref u);
        }

        ApplyScalar(w + i, g + i, Skip<T, TUpdate>(s0, 0, i), Skip<T, TUpdate>(s1, 1, i), Skip<T, TUpdate>(s2, 2, i), Skip<T, TUpdate>(s3, 3, i), n - i, ref u);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Step(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint i, ref TUpdate u)
        {
            Vector128<T> m0 = default, m1 = default, m2 = default, m3 = default;
            if (TUpdate.StateCount > 0)
            {
                m0 = Vector128.Load(s0 + i);
            }

            if (TUpdate.StateCount > 1)
            {
                m1 = Vector128.Load(s1 + i);
            }

            if (TUpdate.StateCount > 2)
            {
                m2 = Vector128.Load(s2 + i);
            }

            if (TUpdate.StateCount > 3)
            {
                m3 = Vector128.Load(s3 + i);
            }

            Vector128<T> r = u.Invoke(Vector128.Load(w + i), Vector128.Load(g + i), ref m0, ref m1, ref m2, ref m3);

            if (TUpdate.StateCount > 0)
            {
                Vector128.Store(m0, s0 + i);
            }

            if (TUpdate.StateCount > 1)
            {
                Vector128.Store(m1, s1 + i);
            }

            if (TUpdate.StateCount > 2)
            {
                Vector128.Store(m2, s2 + i);
            }

            if (TUpdate.StateCount > 3)
            {
                Vector128.Store(m3, s3 + i);
            }

            if (TStores.Aligned)
            {
                Vector128.StoreAligned(r, w + i);
            }
            else
            {
                Vector128.Store(r, w + i);
            }
        }
    }

    // ---------------------------------------------------------------- validation

    /// <summary>
    /// Every check of <see cref="Apply{T, TUpdate}(Span{T}, ReadOnlySpan{T}, Span{T}, Span{T}, Span{T}, Span{T}, in TUpdate)"/> on lengths and overlaps, in one method shared by all updates
    /// of an element type (it is O(1) and runs once per call, so nothing is gained by specialising it).
    /// </summary>
    private static void Validate<T>(int stateCount, ReadOnlySpan<T> w, ReadOnlySpan<T> g, ReadOnlySpan<T> s0, ReadOnlySpan<T> s1, ReadOnlySpan<T> s2, ReadOnlySpan<T> s3)
    {
        if (w.Length != g.Length)
        {
            ThrowLengthMismatch("g", "gradient", g.Length, w.Length);
        }

        CheckLength(s0, 0, stateCount, w.Length, S0);
        CheckLength(s1, 1, stateCount, w.Length, S1);
        CheckLength(s2, 2, stateCount, w.Length, S2);
        CheckLength(s3, 3, stateCount, w.Length, S3);

        // g may be w itself (w ← u(w, w)): each element is read before it is written. A partial overlap would
        // overwrite gradient elements before they are read.
        if (w.Overlaps(g, out int offset) && offset != 0)
        {
            ThrowPartialOverlap(offset);
        }

        // A state is written, so it may share no element with anything else: aliasing w or another state would
        // lose one of the two new values, and aliasing g would change the gradient under the update. (Empty
        // spans overlap nothing, so unused states pass these checks.)
        CheckDisjoint(s0, S0, w, "the weights w");
        CheckDisjoint(s0, S0, g, "the gradient g");
        CheckDisjoint(s1, S1, w, "the weights w");
        CheckDisjoint(s1, S1, g, "the gradient g");
        CheckDisjoint(s1, S1, s0, "the state s0");
        CheckDisjoint(s2, S2, w, "the weights w");
        CheckDisjoint(s2, S2, g, "the gradient g");
        CheckDisjoint(s2, S2, s0, "the state s0");
        CheckDisjoint(s2, S2, s1, "the state s1");
        CheckDisjoint(s3, S3, w, "the weights w");
        CheckDisjoint(s3, S3, g, "the gradient g");
        CheckDisjoint(s3, S3, s0, "the state s0");
        CheckDisjoint(s3, S3, s1, "the state s1");
        CheckDisjoint(s3, S3, s2, "the state s2");
    }

    private static void CheckLength<T>(ReadOnlySpan<T> state, int index, int stateCount, int length, string name)
    {
        if (index < stateCount)
        {
            if (state.Length != length)
            {
                ThrowLengthMismatch(name, "state " + name, state.Length, length);
            }
        }
        else if (!state.IsEmpty)
        {
            ThrowUnusedState(name, state.Length, stateCount);
        }
    }

    private static void CheckDisjoint<T>(ReadOnlySpan<T> state, string name, ReadOnlySpan<T> other, string otherDescription)
    {
        if (state.Overlaps(other))
        {
            ThrowStateOverlap(name, otherDescription);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch(string paramName, string description, int length, int wLength) =>
        throw new ArgumentException(
            $"The {description} has {length} elements but the weights have {wLength}; they must have the same length.",
            paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnusedState(string paramName, int length, int stateCount) =>
        throw new ArgumentException(
            $"The state {paramName} has {length} elements but the update uses only {stateCount} state(s); pass an empty span (default) for the states it does not use.",
            paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPartialOverlap(int offset) =>
        throw new ArgumentException(
            $"The gradient overlaps the weights at an offset of {offset} elements; it must be the same span as the weights or not overlap them.",
            "g");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStateOverlap(string paramName, string otherDescription) =>
        throw new ArgumentException(
            $"The state {paramName} overlaps {otherDescription}; a state is updated in place and must not share memory with the weights, the gradient or another state.",
            paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadStateCount(Type update, int stateCount) =>
        throw new NotSupportedException(
            $"{update.Name}.StateCount is {stateCount}; the stateful kernel supports 1 to 4 states.");

    // Whether the vector loop may use aligned stores to w, as a type so that the JIT compiles one loop per kind
    // with the test folded away. Aligned stores (vmovapd) fault on a misaligned address, which turns a bug in
    // the peel into a crash in the tests rather than a silent slowdown. (ElementwiseKernel's twins are private.)
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
