using Xunit;

namespace DslOptim.Tests.LinearModel;

/// <summary>
/// The linear-model tests share the process-wide helper threads, which run one job at a time (a second caller runs
/// inline). Serializing these classes keeps the multi-threaded tests multi-threaded and the helper counters that the
/// allocation tests read free of other tests' work; they still run in parallel with the rest of the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkersCollection
{
    public const string Name = "LinearModel workers";
}
