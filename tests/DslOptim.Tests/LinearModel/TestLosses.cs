using System;
using System.Numerics;
using System.Threading;
using DslOptim.Kernels;

namespace DslOptim.Tests.LinearModel;

/// <summary>ℓ(r) = r²/2, ℓ′(r) = r: least squares.</summary>
internal readonly struct SquaredLoss<T> : ILossOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5);

    public T Value(T r) => Half * r * r;

    public T Derivative(T r) => r;
}

/// <summary>Pseudo-Huber: ℓ(r) = δ²(√(1 + (r/δ)²) − 1), ℓ′(r) = r/√(1 + (r/δ)²); quadratic near 0, linear far out.</summary>
internal readonly struct PseudoHuberLoss<T> : ILossOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _delta;

    public PseudoHuberLoss(double delta) => _delta = T.CreateTruncating(delta);

    public T Value(T r)
    {
        T q = r / _delta;
        return _delta * _delta * (T.Sqrt(T.One + (q * q)) - T.One);
    }

    public T Derivative(T r)
    {
        T q = r / _delta;
        return r / T.Sqrt(T.One + (q * q));
    }
}

/// <summary>Squared loss that throws from ℓ once a shared countdown reaches zero (exception propagation tests).</summary>
internal readonly struct ThrowingLoss : ILossOperator<double>
{
    private readonly StrongBox _remaining;

    public ThrowingLoss(StrongBox remaining) => _remaining = remaining;

    public double Value(double r)
    {
        if (Interlocked.Decrement(ref _remaining.Value) < 0)
        {
            throw new InvalidOperationException("thrown by the test loss");
        }

        return 0.5 * r * r;
    }

    public double Derivative(double r) => r;

    internal sealed class StrongBox
    {
        public long Value;
    }
}
