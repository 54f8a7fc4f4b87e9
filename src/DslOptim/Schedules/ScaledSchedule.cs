namespace DslOptim;

/// <summary>factor·inner.At(t).</summary>
internal sealed class ScaledSchedule : LearningRateSchedule
{
    private readonly LearningRateSchedule _inner;
    private readonly double _factor;

    public ScaledSchedule(LearningRateSchedule inner, double factor)
    {
        _inner = inner;
        _factor = factor;
    }

    public override double At(long t) => _factor * _inner.At(t);

    public override double At(long t, in ObservedQuantities observed) => _factor * _inner.At(t, in observed);

    public override string ToString() => $"Scaled({_inner}, factor: {ScheduleText.Of(_factor)})";
}
