using System;

namespace DslOptim.Kernels;

/// <summary>
/// The checks every generated <c>Step</c> makes before it touches memory, so bad input changes nothing.
/// </summary>
public static class StepGuard
{
    /// <summary>Validates a step's arguments.</summary>
    /// <param name="weightLength">Length of the weight span.</param>
    /// <param name="gradientLength">Length of the gradient span.</param>
    /// <param name="t">The step index (1, 2, …).</param>
    /// <param name="constructed">False when every hyperparameter is zero, as in <c>default(TOptimizer)</c>.</param>
    /// <param name="optimizer">The optimizer's name, for messages.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The optimizer is <c>default</c>: every hyperparameter is zero.</exception>
    public static void Check(int weightLength, int gradientLength, long t, bool constructed, string optimizer)
    {
        if (!constructed)
        {
            throw new InvalidOperationException(
                $"Every hyperparameter of this {optimizer} is zero, as in default({optimizer}); create the optimizer with new {optimizer}() or new {optimizer} {{ ... }}.");
        }
        if (weightLength != gradientLength)
        {
            throw new ArgumentException(
                $"The gradient has {gradientLength} elements but the weights have {weightLength}; they must have the same length.", "g");
        }
        if (t < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "The step index t starts at 1.");
        }
    }

    /// <summary>Validates a full linear-model step's arguments.</summary>
    /// <param name="weightLength">Length of the weight span.</param>
    /// <param name="expectedLength">d·k of the problem.</param>
    /// <param name="t">The step index (1, 2, …).</param>
    /// <param name="constructed">False when every hyperparameter is zero, as in <c>default(TOptimizer)</c>.</param>
    /// <param name="optimizer">The optimizer's name, for messages.</param>
    /// <exception cref="ArgumentException">The weights are not d×k.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The optimizer is <c>default</c>: every hyperparameter is zero.</exception>
    public static void CheckLinear(int weightLength, int expectedLength, long t, bool constructed, string optimizer)
    {
        if (weightLength != expectedLength)
        {
            throw new ArgumentException(
                $"The weights have {weightLength} elements but the problem's W is d×k = {expectedLength}; they must match.", "w");
        }
        Check(weightLength, weightLength, t, constructed, optimizer);
    }

    /// <summary>Validates that an optimizer state fits the weights it is used with.</summary>
    /// <param name="stateLength">The state's length (from CreateState).</param>
    /// <param name="weightLength">Length of the weight span.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void CheckState(int stateLength, int weightLength)
    {
        if (stateLength != weightLength)
        {
            throw new ArgumentException(
                $"The state was created for {stateLength} elements but the weights have {weightLength}; create it with CreateState<T>({weightLength}).", "state");
        }
    }
}
