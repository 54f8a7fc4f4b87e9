using System;
using System.Numerics;
using DslOptim.Kernels;
using DslOptim.LinearAlgebra;

namespace DslOptim;

/// <summary>
/// The data of a two-layer linear network with a separable loss (local-PL paper, Problem 2):
/// L(W1, W2) = ℓ(W1 W2ᵀ) with ℓ(W) = Σ_ij ℓ((XW − Y)_ij), X ∈ ℝ^{s×n}, Y ∈ ℝ^{s×m}, W1 ∈ ℝ^{n×h}, W2 ∈ ℝ^{m×h}.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
/// <remarks>
/// <para>Scaling: the loss is <em>summed</em> over the s·m residuals, with no 1/s (unlike <see cref="LinearProblem{T}"/>'s
/// (1/n) Σ): with ℓ(r) = r²/2 it is exactly the paper's eq. (22), L = ½‖Y − X W1 W2ᵀ‖_F², and the paper's constants
/// apply unchanged: K = sup ℓ″ · σ²_max(X) and μ = inf ℓ″ · σ²_min(X) are the smoothness and strong-convexity constants
/// of ℓ(W) (Assumption 2.1).</para>
/// <para>All matrices are row-major: X[i, p] = x[i·n + p], Y[i, j] = y[i·m + j], W1[p, c] = w1[p·h + c],
/// W2[j, c] = w2[j·h + c]. The problem keeps (does not copy) X and Y; they must not change while a step runs, and a
/// change between steps also changes <see cref="SigmaMinSquared"/> and <see cref="SigmaMaxSquared"/>, which are
/// computed once here — make a new problem instead.</para>
/// </remarks>
public sealed class TwoLayerProblem<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _x;
    private readonly T[] _y;

    /// <summary>Wraps X and Y, checking their shapes, and computes σ²_min(X) and σ²_max(X) once.</summary>
    /// <param name="x">X, row-major, <paramref name="s"/>·<paramref name="n"/> finite values; kept, not copied.</param>
    /// <param name="s">Rows of X and Y (samples), at least 1.</param>
    /// <param name="n">Columns of X (inputs) = rows of W1, at least 1.</param>
    /// <param name="y">Y, row-major, <paramref name="s"/>·<paramref name="m"/> values; kept, not copied.</param>
    /// <param name="m">Columns of Y (outputs) = rows of W2, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1.</exception>
    /// <exception cref="ArgumentException">A length does not match its shape, or X has a non-finite entry.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public TwoLayerProblem(T[] x, int s, int n, T[] y, int m)
    {
        SimdGuard.ThrowIfNotSupported<T>();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(s, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        if (x.Length != (long)s * n)
        {
            throw new ArgumentException($"x must hold s·n = {s}·{n} = {(long)s * n} values (X row-major, {s}×{n}) but holds {x.Length}.", nameof(x));
        }

        if (y.Length != (long)s * m)
        {
            throw new ArgumentException($"y must hold s·m = {s}·{m} = {(long)s * m} values (Y row-major, {s}×{m}) but holds {y.Length}.", nameof(y));
        }

        if (n > TwoLayerWorkspace<T>.MaxSmallDimension || m > TwoLayerWorkspace<T>.MaxSmallDimension)
        {
            throw new ArgumentException(
                $"n = {n} and m = {m} must be at most {TwoLayerWorkspace<T>.MaxSmallDimension}: they are the small dimensions (h is the large one).",
                n > TwoLayerWorkspace<T>.MaxSmallDimension ? nameof(n) : nameof(m));
        }

        _x = x;
        _y = y;
        S = s;
        N = n;
        M = m;

        // σ²(X) are the eigenvalues of XᵀX (n×n); σ²_min(X) = 0 when s < n (X has a null space).
        var gram = new double[n * n];
        for (int p = 0; p < n; p++)
        {
            for (int q = p; q < n; q++)
            {
                double sum = 0.0;
                for (int i = 0; i < s; i++)
                {
                    sum += double.CreateTruncating(x[(i * n) + p]) * double.CreateTruncating(x[(i * n) + q]);
                }

                gram[(p * n) + q] = sum;
                gram[(q * n) + p] = sum;
            }
        }

        double[] eigenvalues = SymmetricEigen.Eigenvalues(gram, n);
        SigmaMaxSquared = Math.Max(eigenvalues[0], 0.0);
        SigmaMinSquared = s < n ? 0.0 : Math.Max(eigenvalues[n - 1], 0.0);
    }

    /// <summary>s: rows of X and Y (samples).</summary>
    public int S { get; }

    /// <summary>n: columns of X, rows of W1 and of W = W1 W2ᵀ.</summary>
    public int N { get; }

    /// <summary>m: columns of Y and of W, rows of W2.</summary>
    public int M { get; }

    /// <summary>σ²_min(X), the smallest eigenvalue of XᵀX (0 when s &lt; n); μ of ℓ(W) is inf ℓ″ times this.</summary>
    public double SigmaMinSquared { get; }

    /// <summary>σ²_max(X), the largest eigenvalue of XᵀX; K of ℓ(W) is sup ℓ″ times this.</summary>
    public double SigmaMaxSquared { get; }

    /// <summary>X, row-major s×n: the array given to the constructor.</summary>
    public ReadOnlySpan<T> X => _x;

    /// <summary>Y, row-major s×m: the array given to the constructor.</summary>
    public ReadOnlySpan<T> Y => _y;

    internal T[] XArray => _x;

    internal T[] YArray => _y;
}
