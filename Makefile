include mk/*.mk
