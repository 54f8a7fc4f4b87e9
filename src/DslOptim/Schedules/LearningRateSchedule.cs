using System;

namespace DslOptim;

/// <summary>
/// A learning-rate schedule η_t: an immutable map from the optimizer step t = 1, 2, … to a step size, for a
/// <see cref="ScheduleAttribute"/> member to return. Create one with the factories of <see cref="Schedules"/> and
/// keep it in a static field:
/// <code>
/// static readonly LearningRateSchedule Lr = Schedules.Cosine(1e-3, totalSteps: 10_000, floor: 1e-5, warmupSteps: 500);
/// [Schedule] public double LearningRate(long t) => Lr.At(t);
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// <b>Step numbering and torch.</b> t counts optimizer steps from 1: <c>At(1)</c> is the step size of the first
/// update. torch calls <c>scheduler.step()</c> after each <c>optimizer.step()</c>, so the step size torch uses at
/// optimizer step t is its scheduler's value after t − 1 scheduler steps (<c>last_epoch = t − 1</c>):
/// <c>At(t)</c> equals torch's value at <c>last_epoch = t − 1</c> for every schedule torch also has. Lengths and
/// milestones keep torch's meaning in these units; for example a cosine with <c>totalSteps = T</c> (torch's
/// <c>T_max</c>) reaches its floor at <c>At(T + 1)</c>.
/// </para>
/// <para>
/// <b>Observed quantities.</b> <see cref="At(long, in ObservedQuantities)"/> also receives what the caller observed
/// at the weights the step starts from (loss, gradient norm, weight norm; see <see cref="ObservedQuantities"/>), so a
/// schedule may adapt to them, as the adaptive step size of the two-layer linear networks paper (eq. 19) does.
/// The built-in schedules ignore them; the composites (<see cref="Then"/>, <see cref="Scaled"/>,
/// <see cref="Times"/>) pass them on to their parts.
/// </para>
/// <para>
/// <b>Cost.</b> <c>At</c> is a few floating-point operations and allocates nothing; every value is computed in closed
/// form from t, so steps may be evaluated in any order. Instances are immutable and safe to share between threads.
/// </para>
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>Initializes a schedule. Derive from this class to write a schedule of your own.</summary>
    protected LearningRateSchedule()
    {
    }

    /// <summary>The step size η_t of optimizer step <paramref name="t"/>.</summary>
    /// <param name="t">The optimizer step, 1 for the first update.</param>
    /// <returns>η_t, finite and non-negative for every built-in schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is less than 1.</exception>
    public abstract double At(long t);

    /// <summary>
    /// The step size η_t of optimizer step <paramref name="t"/>, given what the caller observed at the weights
    /// the step starts from. The base implementation ignores <paramref name="observed"/> and returns
    /// <see cref="At(long)"/>; an adaptive schedule overrides it (and should still give <see cref="At(long)"/> a
    /// meaning, for example by calling this overload with <see cref="ObservedQuantities.Unknown"/>).
    /// </summary>
    /// <param name="t">The optimizer step, 1 for the first update.</param>
    /// <param name="observed">Loss, gradient norm and weight norm at w_{t−1}; NaN where the caller does not know them.</param>
    /// <returns>η_t.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is less than 1.</exception>
    public virtual double At(long t, in ObservedQuantities observed) => At(t);

    /// <summary>
    /// This schedule for the first <paramref name="milestone"/> steps, then <paramref name="next"/> restarted from its
    /// own step 1: see <see cref="Schedules.Then"/>.
    /// </summary>
    /// <param name="next">The schedule after the milestone.</param>
    /// <param name="milestone">How many steps this schedule runs, at least 1.</param>
    /// <returns>The sequence.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="milestone"/> is less than 1.</exception>
    public LearningRateSchedule Then(LearningRateSchedule next, long milestone) => Schedules.Then(this, next, milestone);

    /// <summary>This schedule multiplied by a constant: η′_t = <paramref name="factor"/>·η_t.</summary>
    /// <param name="factor">A finite, non-negative factor.</param>
    /// <returns>The scaled schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative, NaN or infinite.</exception>
    public LearningRateSchedule Scaled(double factor) => Schedules.Scaled(this, factor);

    /// <summary>The pointwise product with another schedule: see <see cref="Schedules.Product"/>.</summary>
    /// <param name="other">The other factor, usually a multiplier built with lr = 1.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public LearningRateSchedule Times(LearningRateSchedule other) => Schedules.Product(this, other);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless t ≥ 1; for derived schedules' <c>At</c>.</summary>
    /// <param name="t">The optimizer step.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is less than 1.</exception>
    protected static void CheckStep(long t)
    {
        if (t < 1)
        {
            ThrowStep(t);
        }
    }

    private static void ThrowStep(long t)
        => throw new ArgumentOutOfRangeException(nameof(t), t, "The optimizer step t starts at 1 (t = 1 is the first update).");
}
