using System;
using System.Numerics.Tensors;

namespace ImplicitBias;

/// <summary>The few dense kernels the sample needs (row-major storage), on <see cref="TensorPrimitives"/>.</summary>
internal static class Dense
{
    /// <summary>result = A·v for a row-major rows×cols matrix A.</summary>
    public static void Multiply(ReadOnlySpan<double> a, int rows, int cols, ReadOnlySpan<double> v, Span<double> result)
    {
        for (var i = 0; i < rows; i++)
        {
            result[i] = TensorPrimitives.Dot(a.Slice(i * cols, cols), v);
        }
    }

    /// <summary>result = Aᵀ·v for a row-major rows×cols matrix A (a sum of scaled rows).</summary>
    public static void MultiplyTransposed(ReadOnlySpan<double> a, int rows, int cols, ReadOnlySpan<double> v, Span<double> result)
    {
        result.Clear();
        for (var i = 0; i < rows; i++)
        {
            TensorPrimitives.MultiplyAdd(a.Slice(i * cols, cols), v[i], result, result);
        }
    }

    public static double Norm2(ReadOnlySpan<double> v) => TensorPrimitives.Norm(v);

    public static double Norm1(ReadOnlySpan<double> v) => TensorPrimitives.SumOfMagnitudes(v);

    public static double NormInf(ReadOnlySpan<double> v) => v.IsEmpty ? 0.0 : Math.Abs(TensorPrimitives.MaxMagnitude(v));

    /// <summary>‖a − b‖₂ without allocating.</summary>
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var e = a[i] - b[i];
            sum += e * e;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Solves A·x = b for a symmetric positive definite A (row-major n×n) by Cholesky, A = L·Lᵀ: the factor
    /// overwrites a copy, then forward and back substitution.
    /// </summary>
    /// <exception cref="InvalidOperationException">A is not (numerically) positive definite.</exception>
    public static double[] CholeskySolve(ReadOnlySpan<double> matrix, int n, ReadOnlySpan<double> b)
    {
        var l = matrix.ToArray();
        for (var j = 0; j < n; j++)
        {
            var diagonal = l[j * n + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= l[j * n + k] * l[j * n + k];
            }
            if (!(diagonal > 0.0))
            {
                throw new InvalidOperationException($"XXᵀ is not positive definite (pivot {j} is {diagonal}): X does not have full row rank.");
            }
            var root = Math.Sqrt(diagonal);
            l[j * n + j] = root;
            for (var i = j + 1; i < n; i++)
            {
                var value = l[i * n + j];
                for (var k = 0; k < j; k++)
                {
                    value -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = value / root;
            }
        }

        var x = b.ToArray();
        for (var i = 0; i < n; i++)
        {
            var value = x[i];
            for (var k = 0; k < i; k++)
            {
                value -= l[i * n + k] * x[k];
            }
            x[i] = value / l[i * n + i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var value = x[i];
            for (var k = i + 1; k < n; k++)
            {
                value -= l[k * n + i] * x[k];
            }
            x[i] = value / l[i * n + i];
        }
        return x;
    }
}
