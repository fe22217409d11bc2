// A small .NET console application that builds bit-identical under every builder variation.
System.Console.WriteLine("hello from a reproducible .NET build");
