using System.Reflection;
var asm = typeof(TorchSharp.torch).Assembly;
foreach (var t in asm.GetTypes())
{
    if (!t.IsPublic && !t.IsNestedPublic) continue;
    foreach (var m in t.GetMembers(BindingFlags.Public|BindingFlags.Instance|BindingFlags.Static|BindingFlags.DeclaredOnly))
        Console.WriteLine($"{t.FullName}::{m}");
}
