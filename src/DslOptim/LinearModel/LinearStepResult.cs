namespace DslOptim;

/// <summary>What one step on a <see cref="LinearProblem{T}"/> observed, before it moved the weights.</summary>
/// <param name="Loss">L(W) = (1/n) Σ_ij ℓ(x_iᵀ W_j − Y_ij) at the W the step started from, accumulated in double.</param>
/// <param name="GradientNorm">‖∇L(W)‖_F at the same W, accumulated in double.</param>
public readonly record struct LinearStepResult(double Loss, double GradientNorm);
