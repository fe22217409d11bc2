System.Console.WriteLine("reproducible sample");
