namespace DslOptim;

/// <summary>first.At(t) for t ≤ M, second.At(t − M) after (torch SequentialLR with one milestone).</summary>
internal sealed class SequentialSchedule : LearningRateSchedule
{
    private readonly LearningRateSchedule _first;
    private readonly LearningRateSchedule _second;
    private readonly long _milestone;

    public SequentialSchedule(LearningRateSchedule first, LearningRateSchedule second, long milestone)
    {
        _first = first;
        _second = second;
        _milestone = milestone;
    }

    public override double At(long t)
    {
        CheckStep(t);
        return t <= _milestone ? _first.At(t) : _second.At(t - _milestone);
    }

    public override double At(long t, in ObservedQuantities observed)
    {
        CheckStep(t);
        return t <= _milestone ? _first.At(t, in observed) : _second.At(t - _milestone, in observed);
    }

    public override string ToString() => $"Then({_first}, {_second}, milestone: {ScheduleText.Of(_milestone)})";
}
