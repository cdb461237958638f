print("migsim")
