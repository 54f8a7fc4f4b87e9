using System;
using Xunit;

namespace DslOptim.Tests;

[Collection(DslOptim.Tests.Zoo.ParallelismCollection.Name)]
public class ParallelismTests
{
    [Fact]
    public void NegativeThreadCountIsRefusedAndChangesNothing()
    {
        var before = Parallelism.MaxThreads;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = -1);
        Assert.Contains("-1", error.Message);
        Assert.Equal(before, Parallelism.MaxThreads);
        Assert.True(before >= 1);
    }
}
