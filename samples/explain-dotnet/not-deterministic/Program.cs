System.Console.WriteLine("not-deterministic sample");
