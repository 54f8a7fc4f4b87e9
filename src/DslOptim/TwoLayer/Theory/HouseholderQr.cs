using System;

namespace DslOptim.TwoLayer.Theory;

/// <summary>
/// Householder QR of a small dense row-major r×c matrix with r ≥ c: A = Q·R, R upper triangular c×c. Backward
/// stable (the computed R is the exact factor of A + E with ‖E‖ ≈ unit roundoff·‖A‖), which is why the theory
/// uses it for D(0)'s eigenvalues (R·S·Rᵀ rather than the Gram matrix) and for the least-squares W*.
/// </summary>
internal sealed class HouseholderQr
{
    private readonly double[] _a;      // the reflectors below the diagonal, R on and above it (row-major r×c)
    private readonly double[] _beta;   // 2/‖v‖² of each reflector (0 = identity)
    private readonly double[] _diag;   // R's diagonal

    public HouseholderQr(ReadOnlySpan<double> a, int rows, int columns)
    {
        if (rows < columns)
        {
            throw new ArgumentException($"QR needs rows ≥ columns; got {rows}×{columns}.");
        }
        Rows = rows;
        Columns = columns;
        _a = a.ToArray();
        _beta = new double[columns];
        _diag = new double[columns];
        for (int k = 0; k < columns; k++)
        {
            double scale = 0.0;
            for (int i = k; i < rows; i++)
            {
                scale = Math.Max(scale, Math.Abs(_a[i * columns + k]));
            }
            if (scale == 0.0)
            {
                _diag[k] = 0.0;
                continue;
            }
            double norm2 = 0.0;
            for (int i = k; i < rows; i++)
            {
                double v = _a[i * columns + k] / scale;
                norm2 += v * v;
            }
            double alpha = scale * Math.Sqrt(norm2);
            double akk = _a[k * columns + k];
            if (akk > 0)
            {
                alpha = -alpha;
            }
            // v = x − alpha·e₁ stored in place (v_k = akk − alpha), R_kk = alpha.
            _a[k * columns + k] = akk - alpha;
            double vnorm2 = 0.0;
            for (int i = k; i < rows; i++)
            {
                double v = _a[i * columns + k];
                vnorm2 += v * v;
            }
            _beta[k] = vnorm2 == 0.0 ? 0.0 : 2.0 / vnorm2;
            _diag[k] = alpha;
            for (int j = k + 1; j < columns; j++)
            {
                double dot = 0.0;
                for (int i = k; i < rows; i++)
                {
                    dot += _a[i * columns + k] * _a[i * columns + j];
                }
                dot *= _beta[k];
                for (int i = k; i < rows; i++)
                {
                    _a[i * columns + j] -= dot * _a[i * columns + k];
                }
            }
        }
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>R_ij (i ≤ j; 0 below the diagonal).</summary>
    public double R(int i, int j) => i > j ? 0.0 : (i == j ? _diag[i] : _a[i * Columns + j]);

    /// <summary>The smallest |R_kk| relative to the largest: 0 for a rank-deficient matrix.</summary>
    public double DiagonalRatio()
    {
        double min = double.PositiveInfinity, max = 0.0;
        foreach (double d in _diag)
        {
            min = Math.Min(min, Math.Abs(d));
            max = Math.Max(max, Math.Abs(d));
        }
        return max == 0.0 ? 0.0 : min / max;
    }

    /// <summary>
    /// Solves min ‖A·X − B‖_F for a row-major r×p right-hand side B: X (c×p) and the residual ‖A·X − B‖²_F
    /// (the squared norm of the last r − c rows of Qᵀ·B).
    /// </summary>
    public (double[] X, double ResidualSquared) SolveLeastSquares(ReadOnlySpan<double> b, int p)
    {
        int r = Rows, c = Columns;
        double[] qtb = b.ToArray();
        for (int k = 0; k < c; k++)
        {
            if (_beta[k] == 0.0)
            {
                continue;
            }
            for (int j = 0; j < p; j++)
            {
                double dot = 0.0;
                for (int i = k; i < r; i++)
                {
                    dot += _a[i * c + k] * qtb[i * p + j];
                }
                dot *= _beta[k];
                for (int i = k; i < r; i++)
                {
                    qtb[i * p + j] -= dot * _a[i * c + k];
                }
            }
        }
        var x = new double[c * p];
        for (int j = 0; j < p; j++)
        {
            for (int i = c - 1; i >= 0; i--)
            {
                double s = qtb[i * p + j];
                for (int l = i + 1; l < c; l++)
                {
                    s -= R(i, l) * x[l * p + j];
                }
                x[i * p + j] = s / _diag[i];
            }
        }
        double residual = 0.0;
        for (int i = c; i < r; i++)
        {
            for (int j = 0; j < p; j++)
            {
                residual += qtb[i * p + j] * qtb[i * p + j];
            }
        }
        return (x, residual);
    }
}
