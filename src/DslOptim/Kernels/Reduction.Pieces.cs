using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

public static partial class Reduction
{
    /// <summary>
    /// The canonical sum of squares of one chunk whose elements arrive in pieces — consecutive runs of the chunk, in
    /// order, from different memory (the tensors of a <see cref="ParameterSet{T}"/>): bitwise the
    /// <see cref="SumOfSquaresBlock{T}(ReadOnlySpan{T})"/> of the pieces laid end to end, without copying them.
    /// </summary>
    /// <remarks>
    /// <para>Element j of the chunk (counted over all pieces so far) goes to lane j mod 32, as in
    /// <see cref="SumOfSquaresBlock{T}(ReadOnlySpan{T})"/>. The 32 lane sums live in <see cref="LaneSums"/>, laid out as
    /// every width's accumulators (lane k at index k), so each piece's whole 32-element blocks go straight through the
    /// width's own loop. A block that straddles two pieces (a piece whose length is not a multiple of 32 ends inside it)
    /// is assembled in a 32-element staging block and added once, when full; the chunk's last, partial block is added
    /// zero-padded by <see cref="Finish"/>, then the lanes are folded in the fixed tree (k += k+16, k+8, k+4, k+2, k+1)
    /// that every width's fold performs. So each lane adds the same values in the same order as in one pass over the
    /// concatenation, and the result is the same bits.</para>
    /// <para>A chunk holds at most <see cref="ChunkLength"/> elements in all (the caller's cut, not checked here).
    /// 512 bytes of stack; no allocation.</para>
    /// </remarks>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    internal struct ChunkSquares<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private LaneSums _lanes;
        private Block _staging;
        private int _staged;

        /// <summary>Adds the squares of the next <paramref name="piece"/> of the chunk.</summary>
        /// <param name="piece">The elements that follow those added so far; may be empty.</param>
        public void Add(ReadOnlySpan<T> piece)
        {
            int i = 0;
            if (_staged > 0)
            {
                // Complete the straddling block first: the piece's head continues it at lane _staged.
                i = Math.Min(Lanes - _staged, piece.Length);
                piece[..i].CopyTo(((Span<T>)_staging)[_staged..]);
                _staged += i;
                if (_staged < Lanes)
                {
                    return; // the whole piece fitted in the block, which stays open
                }

                AddStaged();
            }

            int full = (piece.Length - i) & ~(Lanes - 1);
            AddBlocks(ref Unsafe.Add(ref MemoryMarshal.GetReference(piece), i), full, ref _lanes);
            i += full;
            if (i < piece.Length)
            {
                // Fewer than 32 left: they open the next block at lane 0 (the staging block is all zeros here).
                piece[i..].CopyTo(_staging);
                _staged = piece.Length - i;
            }
        }

        /// <summary>The chunk's sum of squares: the open block zero-padded, then the fixed fold.</summary>
        /// <returns>Σ x² over every piece added, accumulated in double.</returns>
        public double Finish()
        {
            if (_staged > 0)
            {
                AddStaged();
            }

            Span<double> lane = _lanes;
            for (int width = Lanes / 2; width >= 1; width /= 2)
            {
                for (int k = 0; k < width; k++)
                {
                    lane[k] += lane[k + width];
                }
            }

            return lane[0];
        }

        private void AddStaged()
        {
            AddBlocks(ref MemoryMarshal.GetReference((ReadOnlySpan<T>)_staging), Lanes, ref _lanes);
            ((Span<T>)_staging).Clear();
            _staged = 0;
        }

        /// <summary>One 32-element block of the input type.</summary>
        [InlineArray(Lanes)]
        private struct Block
        {
            private T _element0;
        }
    }

    /// <summary>The 32 lane sums in lane order: the memory layout of every width's accumulators (Vector512 a0..a3, <see cref="Acc256"/>, <see cref="Acc128"/>).</summary>
    [InlineArray(Lanes)]
    internal struct LaneSums
    {
        private double _lane0;
    }

    private struct Acc512
    {
        public Vector512<double> A0, A1, A2, A3;
    }

    /// <summary>Adds the squares of <paramref name="count"/> elements (a multiple of 32) at <paramref name="start"/> to the lane sums, at the widest accelerated width.</summary>
    private static void AddBlocks<T>(ref T start, int count, ref LaneSums lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == 0)
        {
            return;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            ref Acc512 a = ref Unsafe.As<LaneSums, Acc512>(ref lanes);
            Accumulate512(ref start, count, ref a.A0, ref a.A1, ref a.A2, ref a.A3);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Accumulate256(ref start, count, ref Unsafe.As<LaneSums, Acc256>(ref lanes));
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Accumulate128(ref start, count, ref Unsafe.As<LaneSums, Acc128>(ref lanes));
        }
        else
        {
            Span<double> lane = lanes;
            for (int i = 0; i < count; i++)
            {
                double v = double.CreateTruncating(Unsafe.Add(ref start, i));
                lane[i % Lanes] += v * v;
            }
        }
    }
}
