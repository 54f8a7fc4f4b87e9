using System;

namespace DslOptim;

/// <summary>
/// The smallest and largest eigenvalue of a small symmetric matrix, for the per-step certificate: Householder
/// reduction to tridiagonal form (≈ 4n³/3 flops, backward stable), then bisection on Sturm counts for the two extreme
/// eigenvalues, each to the last bit the tridiagonal form determines (absolute error ≈ ε‖A‖). Allocation-free: the
/// matrix and the scratch vectors are the caller's.
/// </summary>
/// <remarks>
/// Why not the library's Jacobi solver (<see cref="LinearAlgebra.SymmetricEigen"/>), which the tests use as the
/// reference: a full Jacobi diagonalization costs 6–8 sweeps of n²/2 rotations (≈ 6 ms for n = 64 and 0.2 ms for
/// n = 10 on the development machine, three times per step) where only two eigenvalues are needed; this costs a
/// few percent of that.
/// </remarks>
internal static class SymmetricExtremes
{
    /// <summary>λ_min and λ_max of A (n×n, row-major, symmetric, finite); <paramref name="a"/> is overwritten.</summary>
    /// <param name="a">A, exactly n·n values; destroyed.</param>
    /// <param name="n">The order, at least 1.</param>
    /// <param name="scratch">At least 4·n values.</param>
    public static (double Min, double Max) Compute(Span<double> a, int n, Span<double> scratch)
    {
        Span<double> d = scratch.Slice(0, n), e = scratch.Slice(n, n), v = scratch.Slice(2 * n, n), p = scratch.Slice(3 * n, n);
        Tridiagonalize(a, n, d, e, v, p);

        // Gershgorin bounds of the tridiagonal matrix (d on the diagonal, e[i] between rows i and i + 1).
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity, norm = 0.0;
        for (int i = 0; i < n; i++)
        {
            double radius = (i > 0 ? Math.Abs(e[i - 1]) : 0.0) + (i < n - 1 ? Math.Abs(e[i]) : 0.0);
            lo = Math.Min(lo, d[i] - radius);
            hi = Math.Max(hi, d[i] + radius);
            norm = Math.Max(norm, Math.Abs(d[i]) + radius);
        }

        if (norm == 0.0)
        {
            return (0.0, 0.0);
        }

        return BisectExtremes(d, e, n, lo, hi, norm);
    }

    /// <summary>Reduces A to T = QᵀAQ (d diagonal, e[0..n−2] off-diagonal) by Householder reflections on the trailing block.</summary>
    private static void Tridiagonalize(Span<double> a, int n, Span<double> d, Span<double> e, Span<double> v, Span<double> p)
    {
        for (int k = 0; k < n - 2; k++)
        {
            int size = n - k - 1; // the block A[k+1.., k+1..] and the column below the diagonal
            double scale = 0.0;
            for (int i = 0; i < size; i++)
            {
                scale = Math.Max(scale, Math.Abs(a[((k + 1 + i) * n) + k]));
            }

            d[k] = a[(k * n) + k];
            if (scale == 0.0)
            {
                e[k] = 0.0;
                continue;
            }

            // v = x − α e₁ with α = −sign(x₀)‖x‖, computed on x/scale (no overflow).
            double sigma = 0.0;
            for (int i = 0; i < size; i++)
            {
                double xi = a[((k + 1 + i) * n) + k] / scale;
                v[i] = xi;
                sigma += xi * xi;
            }

            double alpha = -Math.CopySign(Math.Sqrt(sigma), v[0]);
            e[k] = alpha * scale;
            v[0] -= alpha;
            double vv = sigma - (2.0 * alpha * (v[0] + alpha)) + (alpha * alpha); // ‖x − αe₁‖²
            if (vv == 0.0)
            {
                continue;
            }

            // A22 ← H A22 H, H = I − β v vᵀ: p = β A22 v, w = p − (β/2)(vᵀp) v, A22 −= v wᵀ + w vᵀ.
            double beta = 2.0 / vv;
            double vp = 0.0;
            for (int i = 0; i < size; i++)
            {
                double sum = 0.0;
                int row = (k + 1 + i) * n;
                for (int j = 0; j < size; j++)
                {
                    sum += a[row + k + 1 + j] * v[j];
                }

                p[i] = beta * sum;
                vp += v[i] * p[i];
            }

            double half = 0.5 * beta * vp;
            for (int i = 0; i < size; i++)
            {
                p[i] -= half * v[i];
            }

            for (int i = 0; i < size; i++)
            {
                int row = (k + 1 + i) * n;
                double vi = v[i], pi = p[i];
                for (int j = 0; j < size; j++)
                {
                    a[row + k + 1 + j] -= (vi * p[j]) + (pi * v[j]);
                }
            }
        }

        if (n >= 2)
        {
            d[n - 2] = a[((n - 2) * n) + n - 2];
            e[n - 2] = a[((n - 1) * n) + n - 2];
        }

        d[n - 1] = a[((n - 1) * n) + n - 1];
    }

    /// <summary>
    /// The smallest and the largest eigenvalue of the tridiagonal matrix, by bisection on Sturm counts: the two
    /// bisections advance together, their two LDLᵀ recurrences interleaved in one loop (each is a chain of divisions,
    /// so two chains take little more time than one); each follows exactly the sequence of midpoints it would alone.
    /// </summary>
    private static (double Min, double Max) BisectExtremes(Span<double> d, Span<double> e, int n, double lo, double hi, double norm)
    {
        double pivotMin = 1e-300 * Math.Max(1.0, norm * norm);
        double lo1 = lo, hi1 = hi, lo2 = lo, hi2 = hi;
        bool done1 = false, done2 = false;
        for (int iteration = 0; iteration < 2200 && !(done1 && done2); iteration++)
        {
            double mid1 = 0.5 * (lo1 + hi1), mid2 = 0.5 * (lo2 + hi2);
            done1 |= mid1 <= lo1 || mid1 >= hi1;
            done2 |= mid2 <= lo2 || mid2 >= hi2;
            if (done1 || done2)
            {
                // One has converged: finish the other alone.
                if (!done1)
                {
                    if (CountBelow(d, e, n, mid1, pivotMin) >= 1)
                    {
                        hi1 = mid1;
                    }
                    else
                    {
                        lo1 = mid1;
                    }
                }

                if (!done2)
                {
                    if (CountBelow(d, e, n, mid2, pivotMin) >= n)
                    {
                        hi2 = mid2;
                    }
                    else
                    {
                        lo2 = mid2;
                    }
                }

                continue;
            }

            var (count1, count2) = CountBelow2(d, e, n, mid1, mid2, pivotMin);
            if (count1 >= 1)
            {
                hi1 = mid1;
            }
            else
            {
                lo1 = mid1;
            }

            if (count2 >= n)
            {
                hi2 = mid2;
            }
            else
            {
                lo2 = mid2;
            }
        }

        return (0.5 * (lo1 + hi1), 0.5 * (lo2 + hi2));
    }

    /// <summary><see cref="CountBelow"/> at two points at once (two independent recurrences, the same operations as two calls).</summary>
    private static (int Below1, int Below2) CountBelow2(Span<double> d, Span<double> e, int n, double x1, double x2, double pivotMin)
    {
        int count1 = 0, count2 = 0;
        double q1 = d[0] - x1, q2 = d[0] - x2;
        for (int i = 0; ; i++)
        {
            if (Math.Abs(q1) < pivotMin)
            {
                q1 = -pivotMin;
            }

            if (Math.Abs(q2) < pivotMin)
            {
                q2 = -pivotMin;
            }

            count1 += q1 < 0.0 ? 1 : 0;
            count2 += q2 < 0.0 ? 1 : 0;
            if (i == n - 1)
            {
                return (count1, count2);
            }

            double ee = e[i] * e[i];
            q1 = d[i + 1] - x1 - (ee / q1);
            q2 = d[i + 1] - x2 - (ee / q2);
        }
    }

    /// <summary>The number of eigenvalues below x: the negative pivots of the LDLᵀ factorization of T − xI.</summary>
    private static int CountBelow(Span<double> d, Span<double> e, int n, double x, double pivotMin)
    {
        int count = 0;
        double q = d[0] - x;
        for (int i = 0; ; i++)
        {
            if (Math.Abs(q) < pivotMin)
            {
                q = -pivotMin;
            }

            if (q < 0.0)
            {
                count++;
            }

            if (i == n - 1)
            {
                return count;
            }

            q = d[i + 1] - x - (e[i] * e[i] / q);
        }
    }
}
