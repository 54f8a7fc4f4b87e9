using System;
using System.Numerics.Tensors;

namespace ImplicitBias;

/// <summary>The loss and the gradient norm at the point where the gradient was evaluated.</summary>
public readonly record struct GradientEvaluation(double Loss, double GradientNorm);

/// <summary>
/// The gradient of L(w) = (1/n) Σᵢ ℓ(xᵢᵀw − yᵢ) with the declared squared loss, for k = 1:
/// r = Xw − y, then ∇L(w) = (1/n) Xᵀ ℓ′(r), with ℓ and ℓ′ the declaration's and the generator's
/// (<see cref="NormalizedGd.Squared"/>, <see cref="NormalizedGd.SquaredPrime(double)"/>).
/// Two row-major passes over X (n dot products, then n scaled row additions), no allocation.
/// This is the one place the sample computes a gradient: it can be replaced by the runtime's fused linear-model
/// step (<c>opt.Step(problem, w, workspace, t)</c>) without touching the experiments.
/// </summary>
public sealed class LeastSquaresGradient
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _slopes;

    public LeastSquaresGradient(PlantedProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        N = problem.N;
        D = problem.D;
        _x = problem.X;
        _y = problem.Y;
        _slopes = new double[N];
    }

    public int N { get; }

    public int D { get; }

    /// <summary>Writes ∇L(w) into <paramref name="gradient"/> and returns L(w) and ‖∇L(w)‖₂.</summary>
    public GradientEvaluation Evaluate(ReadOnlySpan<double> w, Span<double> gradient)
    {
        if (w.Length != D || gradient.Length != D)
        {
            throw new ArgumentException($"w and the gradient must hold d = {D} values, but hold {w.Length} and {gradient.Length}.");
        }
        ReadOnlySpan<double> x = _x;
        var loss = 0.0;
        for (var i = 0; i < N; i++)
        {
            var r = TensorPrimitives.Dot(x.Slice(i * D, D), w) - _y[i];
            loss += NormalizedGd.Squared(r);
            _slopes[i] = NormalizedGd.SquaredPrime(r) / N;
        }
        gradient.Clear();
        for (var i = 0; i < N; i++)
        {
            TensorPrimitives.MultiplyAdd(x.Slice(i * D, D), _slopes[i], gradient, gradient);
        }
        return new GradientEvaluation(loss / N, TensorPrimitives.Norm(gradient));
    }
}
