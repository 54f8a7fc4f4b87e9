using System;

namespace DslOptim;

/// <summary>How a <see cref="ReductionAttribute"/> member's per-element values f(w_i, g_i) combine into one scalar.</summary>
public enum ReductionKind
{
    /// <summary>Σ_i f(w_i, g_i): a sum (Σ w_i·e^{−η g_i}), a dot product (f = w·g), a squared norm (f = w·w), a count (f = 1).</summary>
    Sum = 0,

    /// <summary>√(Σ_i f(w_i, g_i)²): the Euclidean (Frobenius) norm of the values, ‖g‖ for f = g.</summary>
    Norm = 1,
}

/// <summary>
/// Declares a reduction over all elements, computed in one pass over w and g before the elementwise update (all of an
/// optimizer's reductions share that pass): a formula <c>double F(…)</c> in the per-element subset whose parameters bind
/// by name to <c>w</c> (the weight entry), <c>g</c> (the gradient entry), <c>lr</c> (η_t) and <c>long t</c>; hyperparameters
/// are read as in any formula. Its value binds by name, as a scalar, in <see cref="UpdateAttribute"/>,
/// <see cref="StateAttribute"/> and <see cref="PreconditionerAttribute"/> formulas (reduction <c>Z</c> ↔ parameter <c>z</c>).
/// </summary>
/// <remarks>
/// The pass is deterministic: fixed chunks of <see cref="Kernels.Reduction.ChunkLength"/> elements, each summed in double
/// in a fixed lane order, combined in chunk order — bitwise the same on 1 or many threads
/// (<see cref="Parallelism.MaxThreads"/>). Terms are evaluated in double, also for float weights.
/// </remarks>
/// <example>
/// Exponentiated gradient (notes, Appendix D):
/// <code>
/// [Reduction(ReductionKind.Sum)] public double Z(double w, double g, double lr) => w * Math.Exp(-lr * g);
/// [Update] public double Normalized(double w, double g, double lr, double z) => w * Math.Exp(-lr * g) / z;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class ReductionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="kind">How the per-element values combine: a sum or a norm.</param>
    public ReductionAttribute(ReductionKind kind = ReductionKind.Sum) => Kind = kind;

    /// <summary>How the per-element values combine.</summary>
    public ReductionKind Kind { get; }
}
