using System;
using System.Linq;
using DslOptim.Kernels;
using DslOptim.Optimizers;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// <see cref="StateBuffers"/>: state buffers start on a cache line, large ones at their slot's distinct offset modulo
/// 64 KiB (so that a pass over w, g and several states does not stream arrays that lie a power of two apart), and the
/// generated states use them.
/// </summary>
public class StateBuffersTests
{
    private const int Large = 1 << 20; // elements: 4 or 8 MiB, above the stagger threshold for float and double

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    public void LargeBuffersLieAtTheirSlotsOffsetModuloThePeriod(int slot)
    {
        Memory<double> buffer = StateBuffers.Allocate<double>(Large, slot);

        Assert.Equal(Large, buffer.Length);
        Assert.Equal((ulong)((slot + 1) * 9280 % 65536), (ulong)StateBuffers.AddressOf(buffer) % 65536);
    }

    [Fact]
    public void SlotsZeroToSixHaveDistinctOffsetsModuloThePeriodAndModuloFourKibibytes()
    {
        var offsets = Enumerable.Range(0, 7).Select(slot => (ulong)StateBuffers.AddressOf(StateBuffers.Allocate<float>(Large, slot))).ToArray();

        Assert.Equal(7, offsets.Select(a => a % 65536).Distinct().Count());
        Assert.Equal(7, offsets.Select(a => a % 4096).Distinct().Count());
        // None at the cache line where the runtime starts its arrays (their data follows a 16-byte header).
        Assert.All(offsets, a => Assert.NotEqual(0UL, a % 4096 / 64));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(StateBuffers.StaggerThreshold / sizeof(double) - 1)]
    public void SmallBuffersAreOnlyLineAligned(int length)
    {
        Memory<double> buffer = StateBuffers.Allocate<double>(length, 3);

        Assert.Equal(length, buffer.Length);
        Assert.Equal(0UL, (ulong)StateBuffers.AddressOf(buffer) % 64);
        Assert.True(buffer.Span.ToArray().All(x => x == 0), "a new buffer is zeroed");
    }

    [Fact]
    public void TheBufferIsZeroedAndTheWholeLengthIsWritable()
    {
        Memory<float> buffer = StateBuffers.Allocate<float>(Large + 3, 1);
        Assert.True(buffer.Span.IndexOfAnyExcept(0f) < 0);

        buffer.Span.Fill(2f);
        Assert.Equal(2f, buffer.Span[^1]);
    }

    [Fact]
    public void EmptyAndBadArguments()
    {
        Assert.True(StateBuffers.Allocate<double>(0, 0).IsEmpty);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => StateBuffers.Allocate<double>(-1, 0)).ParamName);
        Assert.Equal("slot", Assert.Throws<ArgumentOutOfRangeException>(() => StateBuffers.Allocate<double>(10, -1)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => StateBuffers.Allocate<double>(Array.MaxLength, 0)).ParamName);
    }

    [Theory]
    [InlineData(0x1000UL, 9280, 65536, 9280 - 0x1000)]
    [InlineData(0x12345678UL, 0, 64, 64 - 0x38)]
    [InlineData(0x7FFF0040UL, 0, 64, 0)]
    [InlineData(0x0000A000UL, 9280, 65536, 65536 - (0xA000 - 9280))]
    public void OffsetToReachesTheNextAddressWithTheTargetResidue(ulong address, int target, int period, int expected)
    {
        int offset = StateBuffers.OffsetTo((nuint)address, target, period);

        Assert.Equal(expected, offset);
        Assert.Equal((ulong)target, (address + (ulong)offset) % (ulong)period);
    }

    [Fact]
    public void GeneratedStatesAreStaggeredBySlot()
    {
        var state = new Adam().CreateState<double>(Large);

        unsafe
        {
            fixed (double* m = state.M)
            fixed (double* v = state.V)
            {
                Assert.Equal(9280UL, (ulong)m % 65536);
                Assert.Equal(18560UL, (ulong)v % 65536);
            }
        }
    }

    [Fact]
    public void ParameterSetStatesAreStaggeredBySlot()
    {
        var w = new float[Large];
        var g = new float[Large];
        var set = new ParameterSet<float>();
        set.Add(w, g);
        var state = new Adam().CreateState(set);

        unsafe
        {
            fixed (float* m = state.M)
            fixed (float* v = state.V)
            {
                Assert.Equal(9280UL, (ulong)m % 65536);
                Assert.Equal(18560UL, (ulong)v % 65536);
            }
        }
    }
}
