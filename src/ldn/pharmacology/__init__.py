"""pharmacology"""
