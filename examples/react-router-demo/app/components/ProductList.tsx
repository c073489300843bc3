import type { Product } from '../data'
import ProductCard from './ProductCard'

type Props = { title: string; products: Product[] }

export default function ProductList({ title, products }: Props) {
  return (
    <section className="product-list">
      <h2>{title}</h2>
      <ul>
        {products.map((product, index) => (
          <li key={product.id}>
            <ProductCard product={product} index={index} />
          </li>
        ))}
      </ul>
    </section>
  )
}
