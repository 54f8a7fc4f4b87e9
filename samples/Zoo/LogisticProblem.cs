using System;

namespace Zoo;

/// <summary>
/// Logistic regression on a planted, nearly separable dataset: x_ij = s_j·z_ij with z_ij ~ N(0, 1) and feature scales
/// s_j log-spaced from 1 down to 1/<see cref="ScaleRange"/> (a diagonally ill-conditioned problem), labels
/// y_i = sign(x_iᵀw⋆) with w⋆ ~ N(0, I_d) rescaled so that x_iᵀw⋆ has standard deviation <see cref="MarginScale"/>, each
/// flipped with probability <see cref="LabelNoise"/>; the loss is
/// L(w) = (1/n) Σ log(1 + exp(−y_i x_iᵀw)). Everything is drawn from <c>new Random(seed)</c>, so a seed gives the
/// same problem on every machine.
/// </summary>
public sealed class LogisticProblem
{
    /// <summary>The standard deviation of the planted margins x_iᵀw⋆: most points are far from the planted boundary.</summary>
    public const double MarginScale = 5.0;

    /// <summary>The ratio of the largest feature scale to the smallest.</summary>
    public const double ScaleRange = 10.0;

    /// <summary>The probability that a label is flipped: the data are not separable, so L has a finite minimizer.</summary>
    public const double LabelNoise = 0.05;

    private readonly double[] _x;
    private readonly double[] _y;

    private LogisticProblem(int n, int d, int seed, double[] x, double[] y, int flipped)
    {
        N = n;
        D = d;
        Seed = seed;
        _x = x;
        _y = y;
        Flipped = flipped;
    }

    /// <summary>Samples: rows of X.</summary>
    public int N { get; }

    /// <summary>Features: the number of parameters.</summary>
    public int D { get; }

    public int Seed { get; }

    /// <summary>How many labels the noise flipped.</summary>
    public int Flipped { get; }

    /// <summary>Draws X row by row, then w⋆, then the labels and their flips.</summary>
    public static LogisticProblem Create(int n, int d, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        var random = new Random(seed);
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                x[i * d + j] = FeatureScale(j, d) * Gaussian(random);
            }
        }

        var planted = new double[d];
        var variance = 0.0;
        for (var j = 0; j < d; j++)
        {
            planted[j] = Gaussian(random);
            variance += Math.Pow(FeatureScale(j, d) * planted[j], 2);
        }
        var scale = MarginScale / Math.Sqrt(variance);

        var y = new double[n];
        var flipped = 0;
        for (var i = 0; i < n; i++)
        {
            var margin = 0.0;
            for (var j = 0; j < d; j++)
            {
                margin += x[i * d + j] * planted[j] * scale;
            }
            y[i] = margin >= 0 ? 1.0 : -1.0;
            if (random.NextDouble() < LabelNoise)
            {
                y[i] = -y[i];
                flipped++;
            }
        }
        return new LogisticProblem(n, d, seed, x, y, flipped);
    }

    /// <summary>The loss at <paramref name="w"/>.</summary>
    public double Loss(ReadOnlySpan<double> w)
    {
        CheckLength(w.Length);
        var sum = 0.0;
        for (var i = 0; i < N; i++)
        {
            sum += Softplus(-_y[i] * Dot(i, w));
        }
        return sum / N;
    }

    /// <summary>
    /// Writes ∇L(w) = (1/n) Σ −y_i σ(−y_i x_iᵀw) x_i into <paramref name="gradient"/> and returns L(w), in one pass
    /// over the rows of X: a plain double loop, the same for every optimizer.
    /// </summary>
    public double LossAndGradient(ReadOnlySpan<double> w, Span<double> gradient)
    {
        CheckLength(w.Length);
        CheckLength(gradient.Length);
        gradient.Clear();
        var sum = 0.0;
        for (var i = 0; i < N; i++)
        {
            var z = _y[i] * Dot(i, w);
            sum += Softplus(-z);
            var coefficient = -_y[i] * Sigmoid(-z);
            var row = _x.AsSpan(i * D, D);
            for (var j = 0; j < D; j++)
            {
                gradient[j] += coefficient * row[j];
            }
        }
        for (var j = 0; j < D; j++)
        {
            gradient[j] /= N;
        }
        return sum / N;
    }

    /// <summary>
    /// The minimum of L, by Newton's method with a backtracking line search from w = 0 (L is strictly convex here: the
    /// flipped labels keep the data from being separable). Used only to set the target loss.
    /// </summary>
    /// <exception cref="InvalidOperationException">The Hessian is not positive definite or Newton's method stalls.</exception>
    public double MinimumLoss()
    {
        var w = new double[D];
        var gradient = new double[D];
        var hessian = new double[D * D];
        var direction = new double[D];
        var trial = new double[D];
        var loss = LossAndGradient(w, gradient);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            if (Norm(gradient) <= 1e-13)
            {
                return loss;
            }
            Hessian(w, hessian);
            Solve(hessian, gradient, direction);
            var decrement = 0.0;
            for (var j = 0; j < D; j++)
            {
                decrement += gradient[j] * direction[j];
            }

            var step = 1.0;
            double trialLoss;
            while (true)
            {
                for (var j = 0; j < D; j++)
                {
                    trial[j] = w[j] - step * direction[j];
                }
                trialLoss = Loss(trial);
                if (trialLoss <= loss - 0.25 * step * decrement || step < 1e-10)
                {
                    break;
                }
                step *= 0.5;
            }
            if (trialLoss >= loss)
            {
                return loss; // no further decrease in double precision
            }
            trial.CopyTo(w, 0);
            loss = LossAndGradient(w, gradient);
        }
        throw new InvalidOperationException("Newton's method did not converge in 100 iterations.");
    }

    private void Hessian(ReadOnlySpan<double> w, double[] hessian)
    {
        Array.Clear(hessian);
        for (var i = 0; i < N; i++)
        {
            var s = Sigmoid(Dot(i, w));
            var weight = s * (1 - s) / N;
            var row = _x.AsSpan(i * D, D);
            for (var a = 0; a < D; a++)
            {
                var wa = weight * row[a];
                for (var b = 0; b <= a; b++)
                {
                    hessian[a * D + b] += wa * row[b];
                }
            }
        }
        for (var a = 0; a < D; a++)
        {
            for (var b = 0; b < a; b++)
            {
                hessian[b * D + a] = hessian[a * D + b];
            }
        }
    }

    /// <summary>Solves H x = b by Cholesky (H is overwritten by its factor).</summary>
    private void Solve(double[] h, double[] b, double[] x)
    {
        for (var j = 0; j < D; j++)
        {
            var diagonal = h[j * D + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= h[j * D + k] * h[j * D + k];
            }
            if (!(diagonal > 0))
            {
                throw new InvalidOperationException("The Hessian of the logistic loss is not positive definite.");
            }
            var root = Math.Sqrt(diagonal);
            h[j * D + j] = root;
            for (var i = j + 1; i < D; i++)
            {
                var value = h[i * D + j];
                for (var k = 0; k < j; k++)
                {
                    value -= h[i * D + k] * h[j * D + k];
                }
                h[i * D + j] = value / root;
            }
        }
        for (var i = 0; i < D; i++)
        {
            var value = b[i];
            for (var k = 0; k < i; k++)
            {
                value -= h[i * D + k] * x[k];
            }
            x[i] = value / h[i * D + i];
        }
        for (var i = D - 1; i >= 0; i--)
        {
            var value = x[i];
            for (var k = i + 1; k < D; k++)
            {
                value -= h[k * D + i] * x[k];
            }
            x[i] = value / h[i * D + i];
        }
    }

    /// <summary>s_j = ScaleRange^(−j/(d − 1)): 1 for the first feature, 1/ScaleRange for the last.</summary>
    public static double FeatureScale(int j, int d) => d == 1 ? 1.0 : Math.Pow(ScaleRange, -(double)j / (d - 1));

    private double Dot(int i, ReadOnlySpan<double> w)
    {
        var row = _x.AsSpan(i * D, D);
        var sum = 0.0;
        for (var j = 0; j < D; j++)
        {
            sum += row[j] * w[j];
        }
        return sum;
    }

    private void CheckLength(int length)
    {
        if (length != D)
        {
            throw new ArgumentException($"Expected {D} parameters, got {length}.");
        }
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        var sum = 0.0;
        foreach (var value in v)
        {
            sum += value * value;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>log(1 + eᵘ) without overflow.</summary>
    private static double Softplus(double u) => u > 0 ? u + Math.Log(1 + Math.Exp(-u)) : Math.Log(1 + Math.Exp(u));

    private static double Sigmoid(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));

    /// <summary>A standard normal draw (Box–Muller), deterministic for a seeded <see cref="Random"/>.</summary>
    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
