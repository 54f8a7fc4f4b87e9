using System.Diagnostics;
using System.Threading;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// Bounds every search: a number of interval evaluations, a wall-clock limit and cancellation, so the
/// analysis answers "undecided" rather than stall the IDE.
/// </summary>
internal sealed class Budget
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _milliseconds;
    private int _boxes;

    public Budget(int maxBoxes, long milliseconds, CancellationToken cancellationToken)
    {
        MaxBoxes = maxBoxes;
        _milliseconds = milliseconds;
        CancellationToken = cancellationToken;
    }

    /// <summary>One sign proof: enough for every formula of the test battery, bounded for the IDE.</summary>
    /// <remarks>Box counts decide in practice; the clock is a safety net, set high so that verdicts do not depend on the machine's load.</remarks>
    public static Budget ForProof(CancellationToken cancellationToken) => new(20_000, 2_000, cancellationToken);

    /// <summary>One bound (sup or inf): tails that interval arithmetic cannot bound stop it early.</summary>
    public static Budget ForBound(CancellationToken cancellationToken) => new(600, 1_000, cancellationToken);

    public int MaxBoxes { get; }

    public CancellationToken CancellationToken { get; }

    public int BoxesUsed => _boxes;

    /// <summary>Counts one box; false when the budget is spent.</summary>
    public bool Spend()
    {
        CancellationToken.ThrowIfCancellationRequested();
        _boxes++;
        return _boxes <= MaxBoxes && (_boxes % 64 != 0 || _clock.ElapsedMilliseconds <= _milliseconds);
    }
}
