using System;
using System.Numerics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// The data of a linear model with a separable loss, L(W) = (1/n) Σ_ij ℓ(x_iᵀ W_j − Y_ij) (dual-space
/// preconditioning paper, Assumption 1.4): X ∈ ℝ^{n×d} with rows x_i, labels Y ∈ ℝ^{n×k}, weights W ∈ ℝ^{d×k}.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
/// <remarks>
/// <para>All matrices are row-major: X[i, p] = x[i·d + p], Y[i, j] = y[i·k + j], W[p, j] = w[p·k + j].</para>
/// <para>The problem copies nothing: it keeps the two arrays it is given. Their contents may be changed between steps
/// (the next step sees the new values) but must not change while a step or a
/// <see cref="LinearModel.Gradient{T, TLoss}"/> call is running.</para>
/// </remarks>
public sealed class LinearProblem<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _x;
    private readonly T[] _y;

    /// <summary>Wraps X and Y, checking their shapes.</summary>
    /// <param name="x">X, row-major, <paramref name="n"/>·<paramref name="d"/> values; kept, not copied.</param>
    /// <param name="n">Rows of X and Y (samples), at least 1.</param>
    /// <param name="d">Columns of X (features), at least 1.</param>
    /// <param name="y">Y, row-major, <paramref name="n"/>·<paramref name="k"/> values; kept, not copied.</param>
    /// <param name="k">Columns of Y (outputs), at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/>, <paramref name="d"/> or <paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not hold n·d values or <paramref name="y"/> does not hold n·k values.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public LinearProblem(T[] x, int n, int d, T[] y, int k)
    {
        SimdGuard.ThrowIfNotSupported<T>();
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ThrowIfLessThanOne(n, nameof(n));
        ThrowIfLessThanOne(d, nameof(d));
        ThrowIfLessThanOne(k, nameof(k));
        if (x.Length != (long)n * d)
        {
            throw new ArgumentException(
                $"x must hold n·d = {n}·{d} = {(long)n * d} values (X row-major, {n}×{d}) but holds {x.Length}.", nameof(x));
        }

        if (y.Length != (long)n * k)
        {
            throw new ArgumentException(
                $"y must hold n·k = {n}·{k} = {(long)n * k} values (Y row-major, {n}×{k}) but holds {y.Length}.", nameof(y));
        }

        if ((long)d * k > Array.MaxLength)
        {
            throw new ArgumentException(
                $"W would hold d·k = {d}·{k} = {(long)d * k} values, more than an array can ({Array.MaxLength}).", nameof(k));
        }

        _x = x;
        _y = y;
        N = n;
        D = d;
        K = k;
    }

    /// <summary>n: rows of X and Y (samples).</summary>
    public int N { get; }

    /// <summary>d: columns of X (features) and rows of W.</summary>
    public int D { get; }

    /// <summary>k: columns of Y (outputs) and of W.</summary>
    public int K { get; }

    /// <summary>X, row-major n×d: the array given to the constructor.</summary>
    public ReadOnlySpan<T> X => _x;

    /// <summary>Y, row-major n×k: the array given to the constructor.</summary>
    public ReadOnlySpan<T> Y => _y;

    /// <summary>d·k, the number of values of W (row-major d×k) and of its gradient.</summary>
    public int WeightLength => D * K;

    /// <summary>X's array, for the kernels (which pin it per chunk).</summary>
    internal T[] XArray => _x;

    /// <summary>Y's array, for the kernels.</summary>
    internal T[] YArray => _y;

    private static void ThrowIfLessThanOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1 but is {value}.");
        }
    }
}
