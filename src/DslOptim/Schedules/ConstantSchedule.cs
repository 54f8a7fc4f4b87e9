namespace DslOptim;

/// <summary>η_t = lr.</summary>
internal sealed class ConstantSchedule : LearningRateSchedule
{
    private readonly double _lr;

    public ConstantSchedule(double lr) => _lr = lr;

    public override double At(long t)
    {
        CheckStep(t);
        return _lr;
    }

    public override string ToString() => $"Constant(lr: {ScheduleText.Of(_lr)})";
}
