using System;

namespace DslOptim.LinearAlgebra;

/// <summary>Gram matrices of a row-major data matrix.</summary>
public static class Gram
{
    /// <summary>
    /// Computes the n×n matrix X·Xᵀ of a row-major n×d matrix X: entry (i, j) is the dot product of rows i
    /// and j. The upper triangle is computed and mirrored, so the result is exactly symmetric.
    /// </summary>
    /// <param name="x">X, row-major, <paramref name="n"/>·<paramref name="d"/> values.</param>
    /// <param name="n">Rows of X (samples).</param>
    /// <param name="d">Columns of X (features).</param>
    /// <param name="result">Receives X·Xᵀ, row-major, <paramref name="n"/>·<paramref name="n"/> values.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> or <paramref name="d"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A span's length does not match the shape.</exception>
    public static void OuterProduct(ReadOnlySpan<double> x, int n, int d, Span<double> result)
    {
        Validate(x, n, d, result, (long)n * n, "n·n", nameof(result));
        for (var i = 0; i < n; i++)
        {
            var rowI = x.Slice(i * d, d);
            for (var j = i; j < n; j++)
            {
                var value = Dot(rowI, x.Slice(j * d, d));
                result[i * n + j] = value;
                result[j * n + i] = value;
            }
        }
    }

    /// <summary>
    /// Computes the d×d matrix Xᵀ·X of a row-major n×d matrix X: entry (p, q) is the dot product of columns
    /// p and q. It has the same non-zero eigenvalues as X·Xᵀ and is the smaller of the two when d &lt; n.
    /// The result is exactly symmetric.
    /// </summary>
    /// <param name="x">X, row-major, <paramref name="n"/>·<paramref name="d"/> values.</param>
    /// <param name="n">Rows of X (samples).</param>
    /// <param name="d">Columns of X (features).</param>
    /// <param name="result">Receives Xᵀ·X, row-major, <paramref name="d"/>·<paramref name="d"/> values.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> or <paramref name="d"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A span's length does not match the shape.</exception>
    public static void InnerProduct(ReadOnlySpan<double> x, int n, int d, Span<double> result)
    {
        Validate(x, n, d, result, (long)d * d, "d·d", nameof(result));
        result.Clear();
        // Accumulate the rank-one terms row by row (upper triangle), then mirror.
        for (var i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            for (var p = 0; p < d; p++)
            {
                var xp = row[p];
                if (xp == 0.0)
                {
                    continue;
                }
                var target = result.Slice(p * d, d);
                for (var q = p; q < d; q++)
                {
                    target[q] += xp * row[q];
                }
            }
        }
        for (var p = 0; p < d; p++)
        {
            for (var q = p + 1; q < d; q++)
            {
                result[q * d + p] = result[p * d + q];
            }
        }
    }

    private static void Validate(ReadOnlySpan<double> x, int n, int d, Span<double> result, long resultLength, string resultShape, string resultName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (x.Length != (long)n * d)
        {
            throw new ArgumentException(
                $"x must hold n·d = {(long)n * d} values (X row-major, {n}×{d}) but holds {x.Length}.", nameof(x));
        }
        if (result.Length != resultLength)
        {
            throw new ArgumentException(
                $"{resultName} must hold {resultShape} = {resultLength} values but holds {result.Length}.", resultName);
        }
    }

    // Four independent accumulators, summed in a fixed order: deterministic and a little more accurate than one.
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        for (; i + 4 <= a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.Length; i++)
        {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
