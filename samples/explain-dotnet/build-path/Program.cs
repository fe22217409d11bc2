System.Console.WriteLine("build-path sample");
