import { useState } from "react";
import type { Route } from "./+types/home";
import UserCard from "../components/UserCard";
import ProductList from "../components/ProductList";
import { ADDRESS, JOINED, PRODUCTS } from "../data";

export function meta({}: Route.MetaArgs) {
  return [{ title: "Corner shop" }];
}

export default function Home() {
  const [count, setCount] = useState(0);

  return (
    <main className="app">
      <h1>Corner shop</h1>
      <UserCard
        name="Ada Lovelace"
        age={36}
        tags={["math", "poetry"]}
        address={ADDRESS}
        joined={JOINED}
      />
      <ProductList title="Featured" products={PRODUCTS} />
      <p className="note">Prices include VAT.</p>
      <button type="button" className="counter" onClick={() => setCount((c) => c + 1)}>
        Count is {count}
      </button>
    </main>
  );
}
