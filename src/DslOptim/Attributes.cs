using System;

namespace DslOptim;

/// <summary>
/// Marks a <c>partial struct</c> (or class) as an optimizer declaration. The DslOptim source generator
/// reads its attributed formula members and emits fused SIMD <c>Step</c> kernels, the derived scalar
/// functions (<c>FPrime</c>, <c>FDoublePrime</c>) and an <c>Info</c> description.
/// </summary>
/// <remarks>
/// Hyperparameters are public <see cref="double"/> properties with initializers. Exactly one
/// <see cref="PotentialAttribute"/> or <see cref="PreconditionerAttribute"/> member and one
/// <see cref="ScheduleAttribute"/> member are required; a <see cref="LossAttribute"/> member is optional.
/// </remarks>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class OptimizerAttribute : Attribute
{
}

/// <summary>The form in which a dual-space potential K(·) is declared.</summary>
public enum PotentialKind
{
    /// <summary>K(Z) = Σ φ(z_ij), declared by φ(z); ∇K(Z)_ij = φ′(z_ij).</summary>
    Elementwise = 0,

    /// <summary>K(Z) = h(‖Z‖_F), declared by h(s) on s ≥ 0; ∇K(Z) = h′(s)/s · Z, and 0 at Z = 0.</summary>
    Isotropic = 1,

    /// <summary>K(Z) = Σ f(σ_i(Z)), declared by f(σ); ∇K(Z) = U diag(f′(σ)) Vᵀ. Not generated yet.</summary>
    Spectral = 2,
}

/// <summary>
/// Declares the dual-space potential K of the update W ← W − η ∇K(∇L(W)) (eq. (1) of the dual-space
/// preconditioning paper). The member is a formula <c>double F(double x)</c> with an expression body
/// in the per-element subset; the generator differentiates it analytically.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class PotentialAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="kind">How the formula defines K: elementwise φ, isotropic h or spectral f.</param>
    public PotentialAttribute(PotentialKind kind = PotentialKind.Elementwise) => Kind = kind;

    /// <summary>How the formula defines K.</summary>
    public PotentialKind Kind { get; }
}

/// <summary>
/// Declares the preconditioner map ∇K directly, elementwise: the formula returns the update direction
/// for one gradient entry (parameter named <c>g</c>, or the only <see cref="double"/> parameter), and may
/// read the weight entry <c>w</c> and the step <c>long t</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class PreconditionerAttribute : Attribute
{
}

/// <summary>
/// Declares a separable loss ℓ on the residual r = x_iᵀ w_j − y_ij: L(W) = (1/n) Σ ℓ(r_ij).
/// The member is a formula <c>double F(double r)</c>; ℓ′ and ℓ″ are derived.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class LossAttribute : Attribute
{
}

/// <summary>
/// Declares the learning-rate schedule η_t, <c>double F(long t)</c> with t = 1, 2, …. It runs once per
/// step in scalar code, so any C# is allowed in its body.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class ScheduleAttribute : Attribute
{
}

/// <summary>
/// Declares an optimizer state: an elementwise recurrence s_t = f(…) with s_0 = <see cref="Initial"/>. Parameters
/// bind by name: <c>g</c> (the gradient entry), <c>w</c> (the weight entry), <c>long t</c> (the step), and states
/// (state <c>M</c> ↔ parameter <c>m</c>): the state's own name is its previous value, an earlier-declared state's
/// name its value at this step, a later-declared one its previous value. A state that binds no per-element
/// parameter is a scalar state, updated once per step.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class StateAttribute : Attribute
{
    /// <summary>The value before the first step, s_0 (0 unless declared).</summary>
    public double Initial { get; set; }
}

/// <summary>
/// Overrides the default update w ← w − η_t·d: the member returns the new weight and binds <c>w</c>, <c>g</c>,
/// <c>d</c> (the preconditioner's output, or ∇K(g)), <c>lr</c> (η_t from the schedule), <c>long t</c>, states and
/// hyperparameters — how coupled and decoupled weight decay are written.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class UpdateAttribute : Attribute
{
}
