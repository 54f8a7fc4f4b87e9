using System;
using System.Collections.Generic;
using System.Globalization;

namespace DslOptim.LinearAlgebra;

/// <summary>
/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method: sweeps of plane
/// rotations over every off-diagonal pair (p, q), each rotation zeroing a_pq, until the off-diagonal
/// Frobenius norm falls below a threshold relative to ‖A‖_F. Every eigenvalue is then within that
/// off-diagonal norm of a diagonal entry (Weyl), so the default threshold (one unit roundoff) gives
/// eigenvalues accurate to a few ulps of ‖A‖. Cost: O(n³) per sweep, typically 6–10 sweeps.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>The unit roundoff of <see cref="double"/>, 2⁻⁵².</summary>
    public const double UnitRoundoff = 2.220446049250313e-16;

    /// <summary>The default convergence threshold: stop when ‖off(A)‖_F ≤ this · ‖A‖_F.</summary>
    public const double DefaultConvergenceTolerance = UnitRoundoff;

    /// <summary>The default symmetry tolerance: |a_ij − a_ji| ≤ this · max|a| is accepted as symmetric.</summary>
    public const double DefaultSymmetryTolerance = 1e-10;

    /// <summary>The most sweeps attempted before giving up (the method converges quadratically; a handful suffice).</summary>
    public const int MaxSweeps = 64;

    /// <summary>The eigenvalues of a symmetric matrix, sorted in descending order.</summary>
    /// <param name="matrix">A, row-major, <paramref name="n"/>·<paramref name="n"/> finite values, symmetric within <paramref name="symmetryTolerance"/>.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="symmetryTolerance">Relative tolerance of the symmetry check; the mean of a_ij and a_ji is used.</param>
    /// <param name="convergenceTolerance">Stop when ‖off(A)‖_F ≤ this · ‖A‖_F; in (0, 1).</param>
    /// <returns>λ₁ ≥ λ₂ ≥ … ≥ λ_n.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative, or a tolerance is out of range.</exception>
    /// <exception cref="ArgumentException">The length is not n·n, an entry is not finite, or A is not symmetric.</exception>
    /// <exception cref="InvalidOperationException">No convergence within <see cref="MaxSweeps"/> sweeps (not expected for finite input).</exception>
    public static double[] Eigenvalues(
        ReadOnlySpan<double> matrix,
        int n,
        double symmetryTolerance = DefaultSymmetryTolerance,
        double convergenceTolerance = DefaultConvergenceTolerance)
        => Solve(matrix, n, symmetryTolerance, convergenceTolerance, computeVectors: false).Values;

    /// <summary>The eigenvalues, sorted in descending order, and an orthonormal set of eigenvectors of a symmetric matrix.</summary>
    /// <param name="matrix">A, row-major, <paramref name="n"/>·<paramref name="n"/> finite values, symmetric within <paramref name="symmetryTolerance"/>.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="symmetryTolerance">Relative tolerance of the symmetry check; the mean of a_ij and a_ji is used.</param>
    /// <param name="convergenceTolerance">Stop when ‖off(A)‖_F ≤ this · ‖A‖_F; in (0, 1).</param>
    /// <returns>The decomposition A = V·diag(λ)·Vᵀ.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative, or a tolerance is out of range.</exception>
    /// <exception cref="ArgumentException">The length is not n·n, an entry is not finite, or A is not symmetric.</exception>
    /// <exception cref="InvalidOperationException">No convergence within <see cref="MaxSweeps"/> sweeps (not expected for finite input).</exception>
    public static SymmetricEigenDecomposition Decompose(
        ReadOnlySpan<double> matrix,
        int n,
        double symmetryTolerance = DefaultSymmetryTolerance,
        double convergenceTolerance = DefaultConvergenceTolerance)
    {
        var (values, vectors, sweeps) = Solve(matrix, n, symmetryTolerance, convergenceTolerance, computeVectors: true);
        return new SymmetricEigenDecomposition(n, values, vectors!, sweeps);
    }

    private static (double[] Values, double[]? Vectors, int Sweeps) Solve(
        ReadOnlySpan<double> matrix, int n, double symmetryTolerance, double convergenceTolerance, bool computeVectors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(symmetryTolerance >= 0.0) || double.IsPositiveInfinity(symmetryTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(symmetryTolerance), symmetryTolerance, "The symmetry tolerance must be finite and non-negative.");
        }
        if (!(convergenceTolerance > 0.0 && convergenceTolerance < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(convergenceTolerance), convergenceTolerance, "The convergence tolerance must lie in (0, 1).");
        }
        if (matrix.Length != (long)n * n)
        {
            throw new ArgumentException($"The matrix must hold n·n = {(long)n * n} values (row-major, {n}×{n}) but holds {matrix.Length}.", nameof(matrix));
        }

        var a = Symmetrized(matrix, n, symmetryTolerance);
        double[]? v = null;
        if (computeVectors)
        {
            v = new double[n * n];
            for (var i = 0; i < n; i++)
            {
                v[i * n + i] = 1.0;
            }
        }

        var sweeps = Iterate(a, v, n, convergenceTolerance);
        return Sorted(a, v, n, sweeps);
    }

    private static double[] Symmetrized(ReadOnlySpan<double> matrix, int n, double tolerance)
    {
        var maxAbs = 0.0;
        for (var i = 0; i < matrix.Length; i++)
        {
            var value = matrix[i];
            if (!double.IsFinite(value))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The matrix has a non-finite entry A[{i / n},{i % n}] = {value}."), nameof(matrix));
            }
            maxAbs = Math.Max(maxAbs, Math.Abs(value));
        }

        var allowed = tolerance * maxAbs;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] = matrix[i * n + i];
            for (var j = i + 1; j < n; j++)
            {
                var upper = matrix[i * n + j];
                var lower = matrix[j * n + i];
                var difference = Math.Abs(upper - lower);
                if (difference > allowed)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"The matrix is not symmetric: A[{i},{j}] = {upper:R} but A[{j},{i}] = {lower:R}; |difference| = {difference:R} exceeds tolerance·max|A| = {allowed:R}."),
                        nameof(matrix));
                }
                var mean = 0.5 * upper + 0.5 * lower;
                a[i * n + j] = mean;
                a[j * n + i] = mean;
            }
        }
        return a;
    }

    // Cyclic Jacobi over the full (symmetric) storage of a; accumulates rotations into v when given.
    private static int Iterate(double[] a, double[]? v, int n, double tolerance)
    {
        // Norms are computed on entries divided by the largest magnitude, so squares cannot overflow.
        var scale = 0.0;
        foreach (var value in a)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }
        if (scale == 0.0)
        {
            return 0;
        }

        for (var sweep = 1; sweep <= MaxSweeps; sweep++)
        {
            var off = OffDiagonalNorm(a, n, scale);
            var norm = FrobeniusNorm(a, scale);
            if (off <= tolerance * norm)
            {
                return sweep - 1;
            }

            // Early sweeps skip small entries (threshold Jacobi); later ones rotate every non-negligible entry.
            var threshold = sweep <= 3 ? 0.2 * off / ((double)n * n) : 0.0;
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[p * n + q];
                    if (apq == 0.0)
                    {
                        continue;
                    }
                    var app = a[p * n + p];
                    var aqq = a[q * n + q];
                    var g = 100.0 * Math.Abs(apq);
                    if (sweep > 4 && Math.Abs(app) + g == Math.Abs(app) && Math.Abs(aqq) + g == Math.Abs(aqq))
                    {
                        // Below the rounding of both diagonal entries: the rotation could not change them.
                        a[p * n + q] = 0.0;
                        a[q * n + p] = 0.0;
                        continue;
                    }
                    if (Math.Abs(apq) <= threshold)
                    {
                        continue;
                    }
                    Rotate(a, v, n, p, q);
                }
            }
        }

        var finalOff = OffDiagonalNorm(a, n, scale);
        if (finalOff <= tolerance * FrobeniusNorm(a, scale))
        {
            return MaxSweeps;
        }
        throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"Jacobi did not converge in {MaxSweeps} sweeps: ‖off(A)‖_F = {finalOff:R}."));
    }

    // Applies the rotation J(p, q, φ) that zeroes a_pq: A ← JᵀAJ, V ← VJ.
    private static void Rotate(double[] a, double[]? v, int n, int p, int q)
    {
        var apq = a[p * n + q];
        var app = a[p * n + p];
        var aqq = a[q * n + q];

        // cot 2φ = θ = (a_qq − a_pp) / (2 a_pq); t = tan φ is the root of t² + 2θt − 1 = 0 of smaller magnitude.
        var theta = (aqq - app) / (2.0 * apq);
        double t;
        if (Math.Abs(theta) > 1e150)
        {
            t = 0.5 / theta; // θ² would overflow; t ≈ 1/(2θ) to full precision
        }
        else
        {
            t = 1.0 / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1.0));
            if (theta < 0.0)
            {
                t = -t;
            }
        }
        var c = 1.0 / Math.Sqrt(t * t + 1.0);
        var s = t * c;
        var tau = s / (1.0 + c);

        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0.0;
        a[q * n + p] = 0.0;

        for (var r = 0; r < n; r++)
        {
            if (r == p || r == q)
            {
                continue;
            }
            var arp = a[r * n + p];
            var arq = a[r * n + q];
            // c·a_rp − s·a_rq and s·a_rp + c·a_rq, written with τ = s/(1 + c) for smaller rounding errors.
            var newRp = arp - s * (arq + tau * arp);
            var newRq = arq + s * (arp - tau * arq);
            a[r * n + p] = newRp;
            a[p * n + r] = newRp;
            a[r * n + q] = newRq;
            a[q * n + r] = newRq;
        }

        if (v is not null)
        {
            for (var r = 0; r < n; r++)
            {
                var vrp = v[r * n + p];
                var vrq = v[r * n + q];
                v[r * n + p] = vrp - s * (vrq + tau * vrp);
                v[r * n + q] = vrq + s * (vrp - tau * vrq);
            }
        }
    }

    private static double OffDiagonalNorm(double[] a, int n, double scale)
    {
        var sum = 0.0;
        for (var p = 0; p < n; p++)
        {
            for (var q = p + 1; q < n; q++)
            {
                var value = a[p * n + q] / scale;
                sum += 2.0 * value * value;
            }
        }
        return Math.Sqrt(sum) * scale;
    }

    private static double FrobeniusNorm(double[] a, double scale)
    {
        var sum = 0.0;
        foreach (var entry in a)
        {
            var value = entry / scale;
            sum += value * value;
        }
        return Math.Sqrt(sum) * scale;
    }

    private static (double[] Values, double[]? Vectors, int Sweeps) Sorted(double[] a, double[]? v, int n, int sweeps)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        // Descending by value, ties by original index: a stable, deterministic order.
        Array.Sort(order, (i, j) =>
        {
            var byValue = a[j * n + j].CompareTo(a[i * n + i]);
            return byValue != 0 ? byValue : i.CompareTo(j);
        });

        var values = new double[n];
        for (var k = 0; k < n; k++)
        {
            values[k] = a[order[k] * n + order[k]];
        }
        if (v is null)
        {
            return (values, null, sweeps);
        }

        // Row k of the result is the eigenvector of values[k] (column order[k] of V), signed so that its
        // largest-magnitude component (the first, on ties) is positive.
        var vectors = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            var column = order[k];
            var largest = 0;
            for (var r = 1; r < n; r++)
            {
                if (Math.Abs(v[r * n + column]) > Math.Abs(v[largest * n + column]))
                {
                    largest = r;
                }
            }
            var sign = v[largest * n + column] < 0.0 ? -1.0 : 1.0;
            for (var r = 0; r < n; r++)
            {
                vectors[k * n + r] = sign * v[r * n + column];
            }
        }
        return (values, vectors, sweeps);
    }
}

/// <summary>
/// The result of <see cref="SymmetricEigen.Decompose"/>: A = V·diag(λ)·Vᵀ with λ in descending order and V
/// orthogonal.
/// </summary>
public sealed class SymmetricEigenDecomposition
{
    private readonly double[] _values;
    private readonly double[] _vectors;

    internal SymmetricEigenDecomposition(int size, double[] values, double[] vectors, int sweeps)
    {
        Size = size;
        _values = values;
        _vectors = vectors;
        Sweeps = sweeps;
    }

    /// <summary>The order n of the matrix.</summary>
    public int Size { get; }

    /// <summary>The eigenvalues λ₁ ≥ λ₂ ≥ … ≥ λ_n.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>
    /// The eigenvectors as the rows of a row-major n×n matrix (that is, Vᵀ): row k is the unit eigenvector of
    /// <see cref="Values"/>[k], signed so that its largest-magnitude component is positive.
    /// </summary>
    public ReadOnlySpan<double> Vectors => _vectors;

    /// <summary>The number of Jacobi sweeps performed.</summary>
    public int Sweeps { get; }

    /// <summary>The unit eigenvector of <see cref="Values"/>[<paramref name="index"/>].</summary>
    /// <param name="index">0 for the largest eigenvalue, n − 1 for the smallest.</param>
    /// <returns>n components.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, n).</exception>
    public ReadOnlySpan<double> Vector(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        return _vectors.AsSpan(index * Size, Size);
    }
}
