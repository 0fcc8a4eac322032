// netstandard2.0 lacks the attribute types newer C# features compile to.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
