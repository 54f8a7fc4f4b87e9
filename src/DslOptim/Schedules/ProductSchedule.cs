namespace DslOptim;

/// <summary>a.At(t)·b.At(t) (torch ChainedScheduler of multiplicative schedulers).</summary>
internal sealed class ProductSchedule : LearningRateSchedule
{
    private readonly LearningRateSchedule _a;
    private readonly LearningRateSchedule _b;

    public ProductSchedule(LearningRateSchedule a, LearningRateSchedule b)
    {
        _a = a;
        _b = b;
    }

    public override double At(long t) => _a.At(t) * _b.At(t);

    public override double At(long t, in ObservedQuantities observed) => _a.At(t, in observed) * _b.At(t, in observed);

    public override string ToString() => $"Product({_a}, {_b})";
}
