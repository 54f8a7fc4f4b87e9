using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using DslOptim.Kernels;

namespace DslOptim.Benchmarks;

/// <summary>Where the four arrays of an Adam-shaped pass lie.</summary>
public enum Placement
{
    /// <summary>w, g, m, v exactly 2²⁷ bytes apart (16M doubles are 122 MiB, each in its own 128 MiB slot): how the
    /// runtime's regions place four such arrays allocated in a row.</summary>
    PowerOfTwoApart,

    /// <summary>w and g as above; m and v 2²⁷ bytes further each, moved to the offsets <see cref="StateBuffers"/> gives
    /// state slots 0 and 1 (9,280 and 18,560 bytes past their slots' starts): what <c>CreateState</c> does.</summary>
    StatesStaggered,

    /// <summary>All four staggered: w, g, m, v at 0, 9,280, 18,560 and 27,840 bytes past their slots' starts.</summary>
    AllStaggered,

    /// <summary>Four <c>new double[N]</c>, wherever the runtime puts them (the benchmark's other classes use these).</summary>
    RuntimeArrays,
}

/// <summary>
/// The Adam access pattern (read g; read and write w, m, v) over 16M doubles on one thread, through the same
/// <see cref="StatefulKernel"/> and floor operator as <see cref="AdamStepBenchmarks{T}"/>, with the arrays placed at
/// chosen distances. It measures why <see cref="StateBuffers"/> staggers state buffers: streams that lie a power of two
/// apart compete for the same cache sets and DRAM banks (docs/performance.md, "Where arrays lie").
/// </summary>
[BenchmarkCategory("Placement")]
[MedianColumn]
[MinColumn]
[MaxColumn]
public unsafe class ArrayPlacementBenchmarks
{
    private const int N = 16_000_000;
    private const long Slot = 1L << 27;

    private byte* _block;
    private GCHandle[] _handles = [];
    private double* _w;
    private double* _g;
    private double* _m;
    private double* _v;

    /// <summary>The placement measured.</summary>
    [Params(Placement.PowerOfTwoApart, Placement.StatesStaggered, Placement.AllStaggered, Placement.RuntimeArrays)]
    public Placement Placement { get; set; }

    /// <summary>Places and fills the arrays.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = 1;
        if (Placement == Placement.RuntimeArrays)
        {
            // Ordinary arrays (large object heap), pinned by handles so that the pointers stay valid.
            _handles = [GCHandle.Alloc(new double[N], GCHandleType.Pinned), GCHandle.Alloc(new double[N], GCHandleType.Pinned),
                GCHandle.Alloc(new double[N], GCHandleType.Pinned), GCHandle.Alloc(new double[N], GCHandleType.Pinned)];
            _w = (double*)_handles[0].AddrOfPinnedObject();
            _g = (double*)_handles[1].AddrOfPinnedObject();
            _m = (double*)_handles[2].AddrOfPinnedObject();
            _v = (double*)_handles[3].AddrOfPinnedObject();
        }
        else
        {
            // One block aligned to 2 MiB, four 128 MiB slots, each array 16 bytes into its slot (as the runtime's array
            // data follows the object header) plus the placement's stagger.
            nuint size = (nuint)(4 * Slot + StateBuffers.StaggerPeriod * 4);
            _block = (byte*)NativeMemory.AlignedAlloc(size, 2 << 20);
            long stride = StateBuffers.SlotStride;
            long w = 0, g = 0, m = 0, v = 0;
            if (Placement == Placement.StatesStaggered)
            {
                (m, v) = (stride, 2 * stride);
            }
            else if (Placement == Placement.AllStaggered)
            {
                (g, m, v) = (stride, 2 * stride, 3 * stride);
            }
            _w = (double*)(_block + 16 + w);
            _g = (double*)(_block + Slot + 16 + g);
            _m = (double*)(_block + (2 * Slot) + 16 + m);
            _v = (double*)(_block + (3 * Slot) + 16 + v);
        }

        var random = new Random(42);
        for (int i = 0; i < N; i++)
        {
            _w[i] = random.NextDouble();
            _g[i] = random.NextDouble() - 0.5;
            _m[i] = 0;
            _v[i] = 0;
        }
    }

    /// <summary>Frees the block.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        Parallelism.MaxThreads = 0;
        if (_block != null)
        {
            NativeMemory.AlignedFree(_block);
            _block = null;
        }

        foreach (GCHandle handle in _handles)
        {
            handle.Free();
        }

        _handles = [];
    }

    /// <summary>m ← m + g, v ← v + g, w ← w + g: Adam's access pattern (<see cref="AdamFloor{T}"/>).</summary>
    [Benchmark]
    public void AdamFloor() =>
        StatefulKernel.Apply(new Span<double>(_w, N), new ReadOnlySpan<double>(_g, N), new Span<double>(_m, N), new Span<double>(_v, N), default, default, default(AdamFloor<double>));
}
