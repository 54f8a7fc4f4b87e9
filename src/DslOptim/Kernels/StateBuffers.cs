using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DslOptim.Kernels;

/// <summary>
/// Allocates the per-element buffers of optimizer states (m, v, …) so that a fused pass over the weights, the gradient
/// and several states streams them at the machine's bandwidth: each buffer starts on a cache line, and a large one at
/// its own distance, <see cref="SlotStride"/> × (slot + 1) bytes modulo <see cref="StaggerPeriod"/>, from every
/// multiple of that period.
/// </summary>
/// <remarks>
/// <para>Why. The runtime places each large array at the start of its own heap region, so arrays of the same size
/// lie a power of two apart and at the same address modulo every smaller power of two. A pass that streams four or
/// more such arrays side by side then makes them compete for the same cache sets and DRAM banks. Measured on the
/// development machine (Zen 3, 2 vCPUs; <c>docs/performance.md</c>, "Where arrays lie"): Adam's access pattern over
/// 16M doubles (read g, read and write w, m, v; <c>ArrayPlacementBenchmarks</c>) took 50.5 ms with the four arrays
/// exactly 2²⁷ bytes apart, 54.5 ms as four <c>new double[N]</c>, and 23.3 ms with only m and v moved by a few KiB.
/// Passes over two arrays (w and g only) do not care. On a Zen 5 machine (session 5) the same benchmark found no
/// effect of placement (all four placements within the run's noise): the stagger costs nothing there and is kept for
/// machines like the first.</para>
/// <para>The buffers are pinned (allocated on the pinned object heap), so the offsets chosen here stay valid: the
/// collector never moves them. Buffers below <see cref="StaggerThreshold"/> bytes (they live in cache anyway) are only
/// aligned to a cache line, so small states do not pay the stagger's padding.</para>
/// </remarks>
public static class StateBuffers
{
    /// <summary>The period of the stagger in bytes: buffers differ in their address modulo this.</summary>
    public const int StaggerPeriod = 64 * 1024;

    /// <summary>
    /// The distance between the staggers of consecutive slots: 145 cache lines (9,280 bytes), so that slots 0–6 land
    /// at distinct offsets modulo both <see cref="StaggerPeriod"/> and 4 KiB, none of them within a cache line of the
    /// offset at which the runtime starts large arrays.
    /// </summary>
    public const int SlotStride = 145 * CacheLine;

    /// <summary>Buffers of at least this many bytes (256 KiB) are staggered; smaller ones are only line-aligned.</summary>
    public const int StaggerThreshold = 256 * 1024;

    private const int CacheLine = 64;

    /// <summary>
    /// A zeroed buffer of <paramref name="length"/> elements for state slot <paramref name="slot"/> (0 for the first
    /// per-element state of an optimizer, 1 for the second, …): cache-line aligned, and staggered from other slots and
    /// from runtime-placed arrays when it is large (see the remarks of <see cref="StateBuffers"/>).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="length">The number of elements; 0 gives an empty buffer.</param>
    /// <param name="slot">The state's index among the optimizer's per-element states.</param>
    /// <returns>The buffer: a slice of a pinned array, which it keeps alive.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> or <paramref name="slot"/> is negative,
    /// or the padded buffer would exceed the largest array.</exception>
    public static Memory<T> Allocate<T>(int length, int slot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        if (length == 0)
        {
            return Memory<T>.Empty;
        }

        int size = Unsafe.SizeOf<T>();
        bool staggered = (long)length * size >= StaggerThreshold;
        int period = staggered ? StaggerPeriod : CacheLine;
        int padding = (period + CacheLine) / size;
        if ((long)length + padding > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A state buffer of {length} elements plus its {padding} elements of alignment padding exceeds the largest array.");
        }

        T[] array = GC.AllocateArray<T>(length + padding, pinned: true);
        int target = staggered ? (int)((long)(slot + 1) * SlotStride % StaggerPeriod) : 0;
        int offsetBytes = OffsetTo(AddressOf(array), target, period);
        return new Memory<T>(array, offsetBytes / size, length);
    }

    /// <summary>
    /// Bytes to add to <paramref name="address"/> to reach the next address ≡ <paramref name="target"/> modulo
    /// <paramref name="period"/> (a power of two).
    /// </summary>
    internal static int OffsetTo(nuint address, int target, int period) =>
        (int)(((nuint)target - address) & (nuint)(period - 1));

    /// <summary>The address of a pinned array's first element.</summary>
    internal static unsafe nuint AddressOf<T>(T[] pinnedArray)
        where T : unmanaged =>
        (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray));

    /// <summary>The address of a buffer's first element (the buffer must come from <see cref="Allocate{T}"/>, whose
    /// arrays are pinned).</summary>
    internal static unsafe nuint AddressOf<T>(Memory<T> buffer)
        where T : unmanaged =>
        (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer.Span));
}
